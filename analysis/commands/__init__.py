"""One module per ``kvalitet`` sub-command. Each has ``register(subparsers)``, which adds its
parser and sets ``func`` to a ``run(args) -> int`` (the exit code)."""
