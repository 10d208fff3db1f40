"""The Telegram surface of the claim bot: settings, handlers, reply rendering."""
