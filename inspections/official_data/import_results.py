"""What an import did, and the one error every importer raises for bad input."""

from collections import Counter
from dataclasses import dataclass, field


class ImportRefused(ValueError):
    """Bad input. The message is one sentence naming what is wrong; nothing was written."""


@dataclass
class Tally:
    """Records added, updated and left unchanged, by kind of record, in the order first met."""

    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    not_restored: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
        getattr(self, outcome)[kind] += n

    def add(self, kind: str, n: int = 1) -> None:
        self.count(kind, "added", n)

    def update(self, kind: str, n: int = 1) -> None:
        self.count(kind, "updated", n)

    def keep(self, kind: str, n: int = 1) -> None:
        self.count(kind, "unchanged", n)

    def remove(self, kind: str, n: int = 1) -> None:
        self.count(kind, "removed", n)

    @property
    def changed(self) -> bool:
        return any(sum(c.values()) for c in (self.added, self.updated, self.removed))

    def lines(self) -> list[str]:
        """One line per kind of record, then the notes (corrections worth reading)."""
        return [
            f"{kind}: {self.added[kind]} added, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            + (f", {self.removed[kind]} removed" if self.removed[kind] else "")
            + (
                f", {self.not_restored[kind]} deleted on the site and not brought back"
                if self.not_restored[kind]
                else ""
            )
            for kind in self.kinds
        ] + self.notes
