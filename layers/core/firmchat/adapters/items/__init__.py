"""How each kind of domain record is kept in the chat table: its key, its item, and the
model read back from an item. The stores and the stream decoder use the same codecs."""
