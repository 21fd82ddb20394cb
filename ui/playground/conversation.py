"""The Playground conversation: answers become assistant turns, re-runs keep the old later turns as a
branch to switch back to, and every turn is recorded under one conversation id."""

from __future__ import annotations

import uuid

from playground.llm.conversation import Branches
from playground.llm.request import Message
from ui.playground.message_list import MessageList


class Conversation:
    """Owns the conversation id and the tree of turns run so far (``branches``); the message list
    shows one branch plus what the user is writing, and the user may edit it freely."""

    def __init__(self, messages: MessageList):
        self._messages = messages
        self.id: str | None = None
        self.branches = Branches()
        self._asked: int | None = None  # the last turn of the running request: its answer goes under it
        messages.changed.connect(self.show_choices)

    def turn_id(self) -> str:
        """The id to record the next turn under (a fresh conversation gets one on its first run)."""
        if self.id is None:
            self.id = uuid.uuid4().hex
        return self.id

    def asked(self, messages: tuple[Message, ...] | list[Message]) -> None:
        """A run starts with ``messages``: they become the shown branch (a changed turn starts a new one)."""
        self.branches, self._asked = self.branches.commit(messages)
        self.show_choices()

    def answered(self, text: str) -> None:
        """Append the answer as an assistant turn and an empty user turn for the follow-up."""
        self.branches = self.branches.add(self._asked, Message("assistant", text))
        self._messages.extend([Message("assistant", text), Message("user", "")])

    def drop_last_answer(self) -> bool:
        """When the conversation ends with the model's answer, a run without a new message asks again:
        drop the turns after the last user message (the old answer stays a branch; undoable).
        True when something was dropped."""
        messages = self._messages.messages()
        written = [i for i, m in enumerate(messages) if m.content.strip()]
        if not written or messages[written[-1]].role != "assistant":
            return False
        users = [i for i in written if messages[i].role == "user"]
        if not users:
            return False
        self._messages.cut_after(users[-1])
        return True

    def rerun_from(self, index: int) -> None:
        """Keep the turns up to ``index``; the next run starts a branch there (the old turns stay)."""
        self._messages.cut_after(index)

    def switch(self, index: int, delta: int) -> str | None:
        """Show the previous or next version of turn ``index`` with its own later turns; the last
        answer of that branch (None when there is no such version)."""
        moved = self.branches.switch(self._messages.messages(), index, delta)
        if moved is None:
            return None
        self.branches = moved
        self._show_branch()
        shown = moved.messages()
        return shown[-1].content if shown and shown[-1].role == "assistant" else ""

    def show_choices(self) -> None:
        self._messages.show_choices(self.branches.choices(self._messages.messages()))

    def clear(self) -> None:
        """A fresh conversation: one empty user message, a new id at the next run."""
        self._messages.set_messages([Message("user", "")])
        self._messages.first_editor().setFocus()
        self.id = None
        self.branches = Branches()
        self.show_choices()

    def load(self, branches: Branches, conversation_id: str | None) -> None:
        """Show a conversation reopened from history or a file, continuing under its id (undoable)."""
        self.id = conversation_id
        self.branches = branches
        self._show_branch()

    def reopened(self, conversation_id: str | None) -> None:
        """A single call reopened from history continues its conversation (or starts one)."""
        self.id = conversation_id
        self.branches = Branches()
        self.show_choices()

    def _show_branch(self) -> None:
        self._messages.replace([*self.branches.messages(), Message("user", "")])
        self._messages.last_editor().setFocus()
