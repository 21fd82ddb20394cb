"""The Compare tab and its dialogs."""
