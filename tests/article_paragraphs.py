"""One made-up news article's paragraphs, shared by the extraction tests that build pages
around a known body."""

PARAGRAPHS = [
    "The harbour authority approved the expansion of the container terminal on Tuesday after "
    "two years of hearings, clearing the way for construction to begin next spring.",
    "Officials said the project would double the number of ships the port can handle each "
    "week and create about four hundred permanent jobs in the surrounding district.",
    "Residents who opposed the plan argued that heavier lorry traffic would clog the coastal "
    "road, and several of them promised to appeal the decision in the regional court.",
    "The operator, a consortium of three shipping companies, will pay for the new quays, "
    "while the city covers the cost of widening the access road and moving a rail siding.",
    "Environmental groups welcomed a condition that the dredged sediment be tested for heavy "
    "metals before it is dumped, a demand they had pressed since the first hearing.",
    "Construction is expected to take four years, with the first berth opening to vessels "
    "in the second half of the decade if the appeals do not delay the tender.",
]


def article_page(paragraphs: list[str], title: str = "Hafen wächst") -> str:
    """A page whose `<article>` holds the headline and the paragraphs in the publisher's
    body container, as the tests' made-up news pages do."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1><div class='article-content'>{body}</div>"
        "</article></body></html>"
    )
