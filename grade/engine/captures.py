"""`<<name>>` in an expect regex: the text an earlier `(?P<name>...)` captured.

The lab files use it to tie lines together, e.g. the rip in a register dump
must be the address the scenario printed before faulting. The one thing to
know: a reference is filled in when its pattern is tried, with what the
earlier patterns actually matched in this boot, escaped to match literally.
Inside the pattern that defines the group, it is a plain backreference.
"""

import re

_REFERENCE = re.compile(r"<<(\w+)>>")
_GROUP = re.compile(r"\(\?P<(\w+)>")


def references(pattern):
    """The names pattern takes from earlier patterns' captures."""
    own = set(_GROUP.findall(pattern))
    return [name for name in _REFERENCE.findall(pattern) if name not in own]


def resolve(pattern, captured):
    """pattern with every <<name>> filled in from captured (name -> text), or
    None if a name was not captured (its group did not take part in a match)."""
    outside = references(pattern)
    if any(name not in captured for name in outside):
        return None

    def fill(match):
        name = match.group(1)
        if name in outside:
            return re.escape(captured[name])
        return f"(?P={name})"  # the group is this pattern's own

    return _REFERENCE.sub(fill, pattern)


def problem(patterns):
    """Why a list of expect patterns is broken, or None if it is fine."""
    defined = set()
    for pattern in patterns:
        for name in references(pattern):
            if name not in defined:
                return (f"<<{name}>> in {pattern!r} refers to no earlier "
                        f"(?P<{name}>...)")
        try:
            re.compile(resolve(pattern, dict.fromkeys(defined, "")))
        except re.error as err:
            return f"bad regex {pattern!r}: {err}"
        defined |= set(_GROUP.findall(pattern))
    return None
