"""Stage 2: positioned cells -> a clean, resolved `schema.models.Plan`.

Each module is one repair or parsing rule, written as pure functions over small inputs so
each can be unit-tested on real cell texts.
"""
