"""The Qt windows and widgets of LLM Playground: one widget per file, logic lives in playground/."""
