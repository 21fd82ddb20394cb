"""The Playground conversation: answers become assistant turns, re-runs replace later turns, and every
turn is recorded under one conversation id."""

from __future__ import annotations

import uuid

from playground.llm.request import Message
from ui.playground.message_list import MessageList


class Conversation:
    """Owns the conversation id; the turns themselves live in the message list (the user edits them)."""

    def __init__(self, messages: MessageList):
        self._messages = messages
        self.id: str | None = None

    def turn_id(self) -> str:
        """The id to record the next turn under (a fresh conversation gets one on its first run)."""
        if self.id is None:
            self.id = uuid.uuid4().hex
        return self.id

    def answered(self, text: str) -> None:
        """Append the answer as an assistant turn and an empty user turn for the follow-up."""
        self._messages.extend([Message("assistant", text), Message("user", "")])

    def drop_last_answer(self) -> bool:
        """When the conversation ends with the model's answer, a run without a new message asks again:
        drop the turns after the last user message (undoable). True when something was dropped."""
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
        """Keep the turns up to ``index``; the later ones are replaced by the next run."""
        self._messages.cut_after(index)

    def clear(self) -> None:
        """A fresh conversation: one empty user message, a new id at the next run."""
        self._messages.set_messages([Message("user", "")])
        self._messages.first_editor().setFocus()
        self.id = None

    def reopened(self, conversation_id: str | None) -> None:
        """A call reopened from history continues its conversation (or starts one)."""
        self.id = conversation_id
