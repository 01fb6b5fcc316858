"""Hostile ext2 images for lab 8 (the kinds come in the next commit): corrupt() of
an image, KINDS, corpus()."""

KINDS = ()


class NotApplicable(ValueError):
    """The image holds no target for this kind of corruption."""


def corrupt(data, kind, rng):
    raise NotApplicable(kind)


def corpus(data, seed):
    return []
