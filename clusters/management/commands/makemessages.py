from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """makemessages without msgmerge's fuzzy guesses: a new string stays empty until someone translates it.

    (A fuzzy guess such as "Period" -> "Grave" is worse than no translation.)
    """

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
