"""The firmchat core: domain rules, use cases and AWS adapters shared by every function.

Shipped to Lambda as the `CoreLayer` (template.yaml) and installed editable for local work.
"""
