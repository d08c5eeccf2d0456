"""Stancemark's window: PySide6 widgets over the public face of storage (never the ORM)."""
