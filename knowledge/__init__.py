"""The claim domain: model, validation, store, matcher, import/export. Knows nothing of Telegram."""
