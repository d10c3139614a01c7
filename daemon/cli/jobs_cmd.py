"""``jobs``: placeholder until the queue lands."""


def register(commands) -> None:
    commands.add_parser("jobs", help="inspect and retry jobs")
