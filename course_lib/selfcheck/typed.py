"""The text a number was typed with, read from the cell that typed it.

``answers.net_h1 = 0.240`` hands Python the float 0.24: the trailing zero,
which the learner wrote on purpose (three significant figures), is gone.
But the cell's text is still there: IPython keeps every cell's source in
:mod:`linecache` (that is how tracebacks show code), and so does Python for
a script.  So when a learner assigns an answer, :func:`assigned_text` looks
at the statement being run, finds the literal on its right-hand side and
returns its text (``"0.240"``).  :func:`dict_texts` does the same for the
answers of a ``{"z": 0.240, ...}`` dict written in the cell that checks it.

Only a literal number counts (``0.240``, ``-0.240``, ``2.4e-1``); for an
expression, a variable or a loop there is no typed text, and ``None`` comes
back.  Nothing here ever raises: a number whose text cannot be found is
simply read as Python gives it.
"""

import ast
import linecache
from functools import lru_cache

__all__ = ["assigned_text", "dict_texts"]


def _literal(node):
    """The node of a number literal, with its sign: ``0.240`` or ``-0.240``; else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _literal(node.operand)
        return node if inner is not None else None
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node
    return None


def _target_name(target):
    """``net_h1`` for ``answers.net_h1``, ``"dE/dw5"`` for ``answers["dE/dw5"]``; else None."""
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return target.slice.value if isinstance(target.slice.value, str) else None
    return None


@lru_cache(maxsize=64)
def _parsed(source):
    """Per line, the ``(name, text)`` of every literal assigned there, and the literals of every dict literal."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return {}, {}
    assigned, in_dicts = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            value = _literal(node.value) if node.value is not None else None
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = _target_name(target)
                if name is not None and value is not None:
                    text = ast.get_source_segment(source, value)
                    for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                        assigned.setdefault(line, []).append((name, text))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and _literal(value) is not None:
                    in_dicts.setdefault(key.value, set()).add(ast.get_source_segment(source, value))
    return assigned, in_dicts


def _source_of(frame):
    try:
        lines = linecache.getlines(frame.f_code.co_filename, frame.f_globals)
    except Exception:
        return None
    return "".join(lines) if lines else None


def _matching(texts, value):
    """The one text among ``texts`` that is the number ``value`` (None if none, or if they disagree)."""
    found = set()
    for text in texts:
        try:
            text = text.replace(" ", "") if text is not None else None
            if text is not None and float(text.replace("_", "")) == float(value):
                found.add(text)
        except (ValueError, TypeError, OverflowError):
            continue
    return found.pop() if len(found) == 1 else None


def assigned_text(frame, name, value):
    """The literal text of ``value`` in the statement running in ``frame``, assigning it to ``name``; or None."""
    if frame is None or type(value) is not float:
        return None
    try:
        source = _source_of(frame)
        if source is None:
            return None
        assigned, _ = _parsed(source)
        return _matching([t for n, t in assigned.get(frame.f_lineno, []) if n == name], value)
    except Exception:  # finding the text is a courtesy; it must never break an answer
        return None


def dict_texts(frame, answers):
    """For a dict of answers, the typed text of each float found as a literal in ``frame``'s source, by name."""
    if frame is None:
        return {}
    try:
        source = _source_of(frame)
        if source is None:
            return {}
        _, in_dicts = _parsed(source)
        texts = {}
        for name, value in answers.items():
            if isinstance(name, str) and type(value) is float and name in in_dicts:
                text = _matching(in_dicts[name], value)
                if text is not None:
                    texts[name] = text
        return texts
    except Exception:
        return {}
