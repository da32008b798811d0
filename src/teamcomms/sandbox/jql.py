"""A parser for the JQL the sandbox understands (the grammar is in ``docs/sandbox.md``)::

    query    := [or] [ORDER BY sort ("," sort)*]
    or       := and (OR and)*                    (also "||")
    and      := not (AND not)*                   (also "&&")
    not      := (NOT | "!") not | "(" or ")" | clause
    clause   := field operator operand
    operator := = | != | < | <= | > | >= | ~ | !~ | IN | NOT IN | IS | IS NOT | WAS ... | CHANGED
    operand  := value | EMPTY | NULL | function | "(" operand ("," operand)* ")"
    function := name "(" [value ("," value)*] ")"
    sort     := field [ASC | DESC]

Values and field names are bare words or quoted strings; keywords ignore case. Syntax errors
answer Jira's messages ("Error in the JQL Query: ... (line 1, character N)"); what the clauses
mean is in :mod:`teamcomms.sandbox.jql_eval`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teamcomms.sandbox.api import ApiError

OPERATORS = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'"
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<op>!=|!~|<=|>=|=|<|>|~|\(|\)|,|!|&&|\|\|)
    |(?P<word>[^\s"'=!<>~(),&|]+)""",
    re.VERBOSE,
)
_RESERVED = set("{}*%^$#@[];+`?")  # Jira refuses these outside quotes (brackets allowed: cf[N])


@dataclass(frozen=True)
class Token:
    kind: str  # "string", "op", "word"
    text: str
    position: int  # 1-based character, as Jira counts


@dataclass(frozen=True)
class Value:
    text: str


@dataclass(frozen=True)
class Empty:
    pass


@dataclass(frozen=True)
class Function:
    name: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class ValueList:
    items: tuple[Operand, ...]


Operand = Value | Empty | Function | ValueList


@dataclass(frozen=True)
class Clause:
    field: str
    operator: str  # lower-case: "=", "!=", "<", "in", "not in", "is", "is not", "~", ...
    operand: Operand
    position: int


@dataclass(frozen=True)
class Not:
    inner: Expression


@dataclass(frozen=True)
class And:
    parts: tuple[Expression, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Expression, ...]


Expression = Clause | Not | And | Or


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool


@dataclass(frozen=True)
class Query:
    where: Expression | None
    order: tuple[Sort, ...] = ()


def _error(message: str, token: Token | None, text: str) -> ApiError:
    position = token.position if token else len(text.rstrip()) + 1
    return ApiError(400, f"Error in the JQL Query: {message} (line 1, character {position})")


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``; a reserved character outside quotes is refused as Jira does."""
    found: list[Token] = []
    index = 0
    while index < len(text):
        match = _TOKEN.match(text, index)
        if match is None:
            raise _error(f"The character '{text[index]}' is not valid here.", None, text[:index])
        kind = match.lastgroup or ""
        raw = match.group()
        if kind == "string":
            found.append(Token("string", re.sub(r"\\(.)", r"\1", raw[1:-1]), index + 1))
        elif kind == "word":
            bad = next((c for c in raw if c in _RESERVED and not _custom_field(raw)), None)
            if bad is not None:
                at = index + raw.index(bad) + 1
                raise ApiError(
                    400,
                    f"Error in the JQL Query: The character '{bad}' is a reserved JQL character. "
                    f"You must enclose it in a string or use the escape '\\u{ord(bad):04x}' "
                    f"instead. (line 1, character {at})",
                )
            found.append(Token("word", raw, index + 1))
        elif kind == "op":
            found.append(Token("op", raw, index + 1))
        index = match.end()
    return found


def _custom_field(word: str) -> bool:
    return re.fullmatch(r"(?i)cf\[\d+\]", word) is not None


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokens(text)
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text.lower() in words

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise _error("The query ends unexpectedly.", None, self.text)
        self.index += 1
        return token

    def query(self) -> Query:
        where = None if self.keyword("order") or self.peek() is None else self.or_()
        order: list[Sort] = []
        if self.keyword("order"):
            self.take()
            if not self.keyword("by"):
                raise _error("Expecting 'by' after 'order'.", self.peek(), self.text)
            self.take()
            order.append(self.sort())
            while self._op(","):
                self.take()
                order.append(self.sort())
        token = self.peek()
        if token is not None:
            raise _error(
                f"Expecting either 'OR' or 'AND' but got '{token.text}'.", token, self.text
            )
        return Query(where, tuple(order))

    def sort(self) -> Sort:
        field = self.take()
        if field.kind == "op":
            raise _error(f"Expecting a field name but got '{field.text}'.", field, self.text)
        descending = False
        if self.keyword("asc", "desc"):
            descending = self.take().text.lower() == "desc"
        return Sort(field.text, descending)

    def or_(self) -> Expression:
        parts = [self.and_()]
        while self.keyword("or") or self._op("||"):
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Expression:
        parts = [self.not_()]
        while self.keyword("and") or self._op("&&"):
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _op(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "op" and token.text == text

    def not_(self) -> Expression:
        if self.keyword("not") or self._op("!"):
            self.take()
            return Not(self.not_())
        if self._op("("):
            self.take()
            inner = self.or_()
            if not self._op(")"):
                raise _error("Expecting ')' to close the group.", self.peek(), self.text)
            self.take()
            return inner
        return self.clause()

    def clause(self) -> Clause:
        field = self.take()
        if field.kind == "op" or field.text.lower() in ("and", "or", "order", "empty", "null"):
            raise _error(f"Expecting a field name but got '{field.text}'.", field, self.text)
        operator = self.operator()
        return Clause(field.text, operator, self.operand(operator), field.position)

    def operator(self) -> str:
        token = self.peek()
        if token is None:
            raise _error(
                f"Expecting operator. The valid operators are {OPERATORS}.", None, self.text
            )
        self.take()
        word = token.text.lower()
        if token.kind == "op" and token.text in ("=", "!=", "<", "<=", ">", ">=", "~", "!~"):
            return token.text
        if token.kind == "word" and word == "in":
            return "in"
        if token.kind == "word" and word == "not" and self.keyword("in"):
            self.take()
            return "not in"
        if token.kind == "word" and word == "is":
            if self.keyword("not"):
                self.take()
                return "is not"
            return "is"
        if token.kind == "word" and word in ("was", "changed"):
            return word
        raise _error(
            f"Expecting operator but got '{token.text}'. The valid operators are {OPERATORS}.",
            token,
            self.text,
        )

    def operand(self, operator: str) -> Operand:
        if operator == "changed":
            return Empty()
        token = self.take()
        if token.kind == "op" and token.text == "(":
            items = [self.operand("=")]
            while self._op(","):
                self.take()
                items.append(self.operand("="))
            if not self._op(")"):
                raise _error("Expecting ')' to close the list.", self.peek(), self.text)
            self.take()
            return ValueList(tuple(items))
        if token.kind == "op":
            raise _error(
                f"Expecting either a value, list or function but got '{token.text}'. You must "
                f"surround '{token.text}' in quotation marks to use it as a value.",
                token,
                self.text,
            )
        if token.kind == "word" and token.text.lower() in ("empty", "null"):
            return Empty()
        if token.kind == "word" and self._op("("):
            self.take()
            args: list[str] = []
            while not self._op(")"):
                argument = self.take()
                if argument.kind == "op" and argument.text != ",":
                    raise _error(
                        f"Unexpected '{argument.text}' in a function.", argument, self.text
                    )
                if argument.kind != "op":
                    args.append(argument.text)
            self.take()
            return Function(token.text, tuple(args))
        return Value(token.text)


def parse(text: str) -> Query:
    """Parse a JQL query (raises :class:`ApiError` 400 with Jira's message when it does not)."""
    return _Parser(text).query()
