"""``trans`` and ``blocktrans`` that also read the block's own catalogs, for templates that Django renders.

The block's pages go through its own template engine, which hands the XBlock i18n tags the
block's catalog (``rendering.py``, decision 0005). edx-ace renders the emails through Django's
template loader instead: these tags bring the same catalog, for the language active while the
template renders (the learner's, which edx-ace activates for each message).
"""

from __future__ import annotations

from django import template
from django.templatetags.i18n import do_block_translate, do_translate
from django.utils import translation
from xblock.utils.templatetags.i18n import ProxyTransNode

from .. import i18n

register = template.Library()


class _CatalogTransNode(ProxyTransNode):
    """XBlock's proxy of Django's translation node, given the block's catalog of the active language."""

    def render(self, context):
        # Set, not pushed: a ``{% trans ... as name %}`` keeps its variable for the rest of the template.
        context["_i18n_service"] = i18n._catalog(translation.get_language() or "en")  # noqa: SLF001 - same package
        return super().render(context)


@register.tag("trans")
def trans(parser, token):
    return _CatalogTransNode(do_translate(parser, token))


@register.tag("blocktrans")
def blocktrans(parser, token):
    return _CatalogTransNode(do_block_translate(parser, token))
