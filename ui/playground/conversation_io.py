"""Opening a conversation whole (from History or a JSON file) and saving one; every read and write
runs on the background pool, and nothing on screen changes until the input proved good."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from playground.llm.conversation import ConversationFile, from_calls
from playground.llm.request import Message

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QWidget

    from playground.history.records import CallRecord
    from ui.playground.conversation import Conversation
    from ui.playground.model_picker import ModelPicker
    from ui.playground.parameter_panel import ParameterPanel
    from ui.playground.prompt_editor import PromptEditor
    from ui.playground.session import Session

ANSWERED = ("ok", "cancelled")  # a call whose text is the assistant's turn


class ConversationIO(QObject):
    """``opened`` says a conversation is on screen; ``saved`` names the file written; ``failed``
    says, in words, why a file could not be opened or saved (nothing changed)."""

    opened = Signal()
    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        session: Session,
        conversation: Conversation,
        *,
        editor: PromptEditor,
        picker: ModelPicker,
        params: ParameterPanel,
        status: QStatusBar,
        show_playground: Callable[[], None],
        parent: QWidget,
    ):
        super().__init__(parent)
        self.session = session
        self.conversation = conversation
        self.editor = editor
        self.picker = picker
        self.params = params
        self.status = status
        self.show_playground = show_playground
        self._parent = parent
        self.failed.connect(lambda why: self.status.showMessage(why, 15000))
        self.saved.connect(lambda name: self.status.showMessage(f"Conversation saved to {name}.", 8000))

    # from History

    def open_from_history(self, chosen: CallRecord) -> None:
        """Load every turn of ``chosen``'s conversation, showing the branch that ended in it."""
        core = self.session.core
        if core is None or self.session.running:
            return
        if not chosen.conversation_id:  # a call from before conversations, or from Compare
            self._show_calls([chosen], chosen)
            return
        cid = chosen.conversation_id

        def failed(exc: BaseException) -> None:
            self.failed.emit(f"Could not read the conversation: {exc}")

        self.status.showMessage("Opening the conversation…")
        self.session.background.submit(
            lambda: core.history.conversation(cid), lambda calls: self._show_calls(calls, chosen), failed
        )

    def _show_calls(self, calls: list[CallRecord], chosen: CallRecord) -> None:
        tree, ends = from_calls(
            (
                [Message.from_dict(m) for m in call.messages],
                call.output if call.status in ANSWERED and call.output else None,
            )
            for call in calls
        )
        ids = [call.id for call in calls]
        end = ends[ids.index(chosen.id)] if chosen.id in ids else None
        if end is not None:
            tree = tree.show(end)
        warning = self._apply(
            ConversationFile(
                tree,
                system=chosen.system or "",
                endpoint=chosen.endpoint,
                model=chosen.model,
                params=chosen.params,
                conversation_id=chosen.conversation_id,
            )
        )
        turns = len(tree.messages())
        self.status.showMessage(warning or f"Opened the conversation: {turns} turns on this branch.", 8000)

    # files

    def snapshot(self) -> ConversationFile:
        """What a save writes: the tree with the editor's turns as the shown branch (drafts too)."""
        system, messages, _ = self.editor.state()
        tree, _ = self.conversation.branches.commit([m for m in messages if m.content.strip()])
        current = self.picker.current() or ("", "")
        endpoint = self.session.endpoint(current[0])
        return ConversationFile(
            tree,
            system=system,
            endpoint=current[0],
            api=endpoint.api if endpoint else "",
            base_url=endpoint.base_url if endpoint else None,
            model=current[1],
            params=self.params.values(),
            conversation_id=self.conversation.id,
        )

    def save(self, path: Path) -> None:
        from playground.llm.conversation import write_file

        snapshot = self.snapshot()
        self.session.background.submit(
            lambda: write_file(path, snapshot),
            lambda _: self.saved.emit(path.name),
            lambda exc: self.failed.emit(str(exc)),
        )

    def open(self, path: Path) -> None:
        """Read and check ``path`` in the background; show it only when it is a good conversation."""
        from playground.llm.conversation import read_file

        if self.session.running:
            self.failed.emit("Wait for the answer (or stop it) before opening a conversation.")
            return

        def done(conversation: ConversationFile) -> None:
            warning = self._apply(conversation)
            self.status.showMessage(warning or f"Opened {path.name}.", 15000)

        self.session.background.submit(
            lambda: read_file(path), done, lambda exc: self.failed.emit(_why(path, exc))
        )

    def ask_save(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self._parent, "Save conversation", "conversation.json", "Conversation (*.json)"
        )
        if name:
            self.save(Path(name))

    def ask_open(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self._parent, "Open conversation", "", "Conversation (*.json);;All files (*)"
        )
        if name:
            self.open(Path(name))

    def _apply(self, conversation: ConversationFile) -> str | None:
        """Show ``conversation``; a warning when its endpoint is not set up here."""
        self.editor.system.setPlainText(conversation.system)
        self.conversation.load(conversation.branches, conversation.conversation_id)
        warning = None
        if conversation.endpoint and self.session.endpoint(conversation.endpoint) is not None:
            self.picker.select(conversation.endpoint, conversation.model)
        elif conversation.endpoint:
            warning = f"No endpoint named {conversation.endpoint!r} here: pick a model to continue."
        self.params.set_values(dict(conversation.params))
        self.show_playground()
        self.opened.emit()
        return warning


def _why(path: Path, exc: BaseException) -> str:
    from playground.llm.conversation import ConversationFileError

    if isinstance(exc, ConversationFileError):
        return f"Could not open {path.name}: {exc}"
    return f"Could not open {path.name}: {type(exc).__name__}: {exc}"
