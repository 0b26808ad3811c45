"""The screens of the TUI, one per area, plus dialogs."""
