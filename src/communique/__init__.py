"""communique: a clean, structured, searchable archive of diplomatic Telegram channels."""
