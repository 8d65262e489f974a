"""A unit's steps read from its StreamField: what progress, quizzes and templates work with.

Pure: no queries. Ids are the StreamField/ListBlock UUIDs as strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import AnswerKind, CompletionRule


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    options: tuple[Option, ...]
    explanation: str

    @property
    def is_multiple(self) -> bool:
        return self.kind == AnswerKind.MULTIPLE

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.correct)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    questions: tuple[Question, ...]
    pass_threshold: int
    max_attempts: int  # 0: unlimited


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    items: tuple[tuple[str, str], ...]  # (item id, text)


@dataclass(frozen=True)
class Step:
    id: str
    number: int
    title: str
    estimated_minutes: int
    completion: str
    minimum_seconds: int
    optional: bool
    content: object = field(compare=False, repr=False)  # the StreamValue
    quizzes: dict[str, Quiz] = field(default_factory=dict, compare=False)
    checklists: dict[str, Checklist] = field(default_factory=dict, compare=False)
    reflections: dict[str, str] = field(default_factory=dict, compare=False)
    formats: frozenset[str] = frozenset()

    @property
    def required(self) -> bool:
        return not self.optional

    @property
    def rule(self) -> CompletionRule:
        return CompletionRule(self.completion)


def _list_children(list_value):
    """(id, value) of a ListBlock value; ids exist for every saved item."""
    return [(str(child.id), child.value) for child in list_value.bound_blocks]


def build_quiz(block_id: str, value) -> Quiz:
    questions = []
    for question_id, question in _list_children(value["questions"]):
        options = tuple(
            Option(
                id=option_id,
                text=option["text"],
                correct=bool(option["correct"]),
                feedback=option["feedback"] or "",
            )
            for option_id, option in _list_children(question["options"])
        )
        questions.append(
            Question(
                id=question_id,
                text=question["question"],
                kind=question["kind"],
                options=options,
                explanation=question["explanation"] or "",
            )
        )
    return Quiz(
        id=block_id,
        title=value["title"],
        questions=tuple(questions),
        pass_threshold=value["pass_threshold"] if value["pass_threshold"] is not None else 70,
        max_attempts=value["max_attempts"] or 0,
    )


FORMAT_OF_BLOCK = {"video": "video", "podcast_episode": "audio"}


def required_step_ids(raw_steps) -> list[str]:
    """The ids of the non-optional steps, read from the stream's raw JSON (no block is
    converted, so no chooser is resolved)."""
    return [
        str(child["id"])
        for child in raw_steps
        if child.get("type") == "step" and not (child.get("value") or {}).get("optional")
    ]


def build_steps(steps_value) -> list[Step]:
    steps = []
    for number, child in enumerate(steps_value, start=1):
        value = child.value
        quizzes, checklists, reflections, formats = {}, {}, {}, {"text"}
        for content in value["content"]:
            block_id = str(content.id)
            formats.add(FORMAT_OF_BLOCK.get(content.block_type, "text"))
            if content.block_type == "quiz":
                quizzes[block_id] = build_quiz(block_id, content.value)
            elif content.block_type == "checklist":
                checklists[block_id] = Checklist(
                    id=block_id,
                    title=content.value["title"],
                    items=tuple(_list_children(content.value["items"])),
                )
            elif content.block_type == "reflection":
                reflections[block_id] = content.value["question"]
        steps.append(
            Step(
                id=str(child.id),
                number=number,
                title=value["title"],
                estimated_minutes=value["estimated_minutes"] or 0,
                completion=value["completion"],
                minimum_seconds=value["minimum_seconds"] or 0,
                optional=bool(value["optional"]),
                content=value["content"],
                quizzes=quizzes,
                checklists=checklists,
                reflections=reflections,
                formats=frozenset(formats),
            )
        )
    return steps
