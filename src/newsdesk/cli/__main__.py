from newsdesk.cli.app import main

main()
