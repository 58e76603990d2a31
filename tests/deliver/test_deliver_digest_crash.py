"""THE crash test: `newsdesk digest send` killed with SIGKILL at several points over many
subscribers, then restarted: every subscriber ends with exactly one digest for the date,
except at most one uncertain message per killed SMTP worker, recorded as such."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, date, datetime

from digest_world import add_story, add_subscribers, cli, cli_env, reader

from newsdesk.domain.subscribers import OutboxStatus
from newsdesk.store import open_store
from smtp_sink import SmtpSink

DAY = date(2026, 3, 2)
SUBSCRIBERS = 60
POOL = 2  # SMTP connections (workers) per process
KILL_AFTER = (2, 15, 35)  # messages received by the sink before each SIGKILL


def test_kill_9_at_several_points_then_restart_sends_each_digest_exactly_once(
    database_url: str, smtp_sink: SmtpSink
) -> None:
    store = open_store(database_url)
    try:
        add_story(store, title="Rare earths deal", at=datetime(2026, 3, 2, 3, tzinfo=UTC))
        people = add_subscribers(
            store, [reader(f"r{n:03d}@readers.example") for n in range(SUBSCRIBERS)]
        )
    finally:
        store.close()
    env = cli_env(
        database_url,
        smtp_sink.port,
        NEWSDESK_SMTP_POOL_SIZE=str(POOL),
        NEWSDESK_DIGEST_STALE_SENDING_SECONDS="0",
    )
    smtp_sink.data_delay = 0.01  # keeps a message in flight long enough to be killed in it
    command = cli("digest", "send", "--date", DAY.isoformat(), "--format", "json")
    kills = 0
    for threshold in KILL_AFTER:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(smtp_sink.messages) < threshold and process.poll() is None:
            assert time.monotonic() < deadline, "the digest run made no progress"
            time.sleep(0.002)
        assert process.poll() is None, "finished before the kill point; raise SUBSCRIBERS"
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    final = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert '"sent": 0' in final.stdout  # the date is done: a further run sends nothing

    received = Counter(m.rcpt_tos[0] for m in smtp_sink.messages)
    assert all(len(m.rcpt_tos) == 1 for m in smtp_sink.messages)
    assert max(received.values()) == 1, "somebody got the digest twice"
    store = open_store(database_url)
    try:
        entries = store.outbox_entries(DAY)
    finally:
        store.close()
    uncertain = {p.email for p in people if entries[p.id or 0].status is OutboxStatus.UNCERTAIN}
    assert len(uncertain) <= kills * POOL
    for person in people:
        status = entries[person.id or 0].status
        if person.email in uncertain:
            continue  # may or may not have arrived; recorded, never re-sent
        assert status is OutboxStatus.SENT, (person.email, status)
        assert received[person.email] == 1, person.email
