"""The daily review without a network: the pack of due cards, and answers recorded once."""
