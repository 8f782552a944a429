"""The block's handlers, one module per role: ``learner``, ``facilitator`` and ``author`` (Studio).

Each module holds a mixin that ``block.CollectiveCoachingXBlock`` inherits; ``decorators`` holds
what every handler shares: JSON in and out, who is asking, and refusals answered as 4xx.
"""
