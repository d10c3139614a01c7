"""``run``: placeholder until the program lifecycle lands."""


def register(commands) -> None:
    commands.add_parser("run", help="run the daemon")
