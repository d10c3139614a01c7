"""Webhook intake: verify on raw bytes, store durably in the inbox (with its job) before answering, dispatch later.

``verify`` and ``deliveries`` are pure decisions; ``inbox`` and ``batching`` write; ``server`` and
``health`` speak HTTP; ``dispatch`` is the 'inbox' job handler.
"""
