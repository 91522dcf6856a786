from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.web._web import STATIC_SENDERS, WEB_FRAMEWORKS, last_name

_EXTENSION = r"\.(?P<ext>gif|bmp|tiff?)"
# A whole literal that is a path or URL: at least one file-name character before the dot
# (so `".gif"` and `"*.gif"` are extensions and globs, not files), nothing after the
# extension but a query or fragment.
_PATH = re.compile(rf"^[^\s'\"<>*]*[\w\-~%@)]{_EXTENSION}(?:[?#]\S*)?$", re.IGNORECASE)
# An asset referenced from markup or CSS inside a longer string.
_MARKUP = re.compile(
    rf"(?:\b(?:src|href|srcset|poster|data-src)\s*=\s*[\"']?|\burl\(\s*[\"']?)"
    rf"(?P<path>[^\s\"'<>()]*[\w\-~%@]{_EXTENSION})(?:[?#][^\s\"'<>()]*)?(?=[\s\"'>)]|$)",
    re.IGNORECASE,
)
_QUICK = (".gif", ".bmp", ".tif")
# Calls whose string argument names an endpoint or a pattern, not an image file to send:
# route decorators and registrations, and the text methods that test or edit a path.
_NOT_A_FILE = frozenset(
    {
        "route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "api_route",
        "add_url_rule",
        "add_api_route",
        "websocket",
        "re_path",
        "path",
        "replace",
        "startswith",
        "endswith",
        "removesuffix",
        "removeprefix",
    }
)
_ALTERNATIVES = {
    "gif": "use WebP or AVIF, or WebM/MP4 for an animation",
    "bmp": "use WebP or AVIF (or SVG for a drawing)",
    "tif": "use WebP or AVIF for the web",
    "tiff": "use WebP or AVIF for the web",
}


class HeavyImageFormat(Rule):
    """## What it does
    Flags a string literal that is the path or URL of a GIF, BMP or TIFF image (the
    extension anchored at the end, case-insensitive, optionally followed by a query or
    fragment), in a module that uses a web framework (Flask, Django, FastAPI, Starlette,
    Jinja2, aiohttp.web, Tornado, …) or passed to `url_for`, `send_file`,
    `send_from_directory`, `static` or `FileResponse`; and an HTML or CSS string, in any
    module, that references such an image (`<img src="…">`, `href=`, `url(…)`).
    A bare extension (`".gif"`), a glob (`"*.gif"`) or a MIME type (`"image/gif"`) is
    not a file and is not reported; neither are PNG, JPEG, WebP, AVIF or SVG.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 8 findings shown
    over the rounds were worth a change. Route paths and 1x1 probe pixels are no longer
    reported; what remained were notification previews that must stay GIF for iOS
    attachments and small icons, where a conversion saves a few bytes. Enable it
    (`extend-select = ["ECO801"]`) to review the images a site serves.

    ## Why is this wasteful?
    BMP is uncompressed, TIFF is a print and archive format, and GIF is limited to 256
    colours with a weak compression: the same picture is several times larger than in
    WebP or AVIF (and an animated GIF many times larger than the same clip in WebM or
    MP4). Every page view transfers, and every device decodes, the extra bytes; servers
    and CDNs store them.

    ## Example
    ```python
    return render_template_string('<img src="/static/banner.gif" alt="">')
    ```

    Use instead:
    ```python
    return render_template_string('<img src="/static/banner.webp" alt="">')
    ```

    ## Evidence
    `bench/rules/eco801_heavy_image_format.py` on a 2-core x86-64 VM (CPython 3.11,
    Pillow 12; real images found on the machine: a 720x477 photograph and three
    screenshots up to 3013x1561). File sizes, smallest of the flagged formats against
    WebP and AVIF: the photograph, GIF (256 colours) 285 KiB against WebP q80 75 KiB
    (3.8x) and AVIF 50 KiB (5.7x); the screenshots, GIF 16.6 / 68 / 117 KiB against
    lossless WebP 15.6 / 30 / 59 KiB (1.1x / 2.3x / 2.0x); BMP and uncompressed TIFF
    are 13x to 193x larger than WebP q80. Decoding (median of 7, Pillow) costs more
    CPU for WebP and AVIF than for BMP or GIF (for example 24 ms against 9.3 ms for
    GIF on the 1300x900 screenshot): the saving is in bytes stored and transferred per
    view, not in decode time.

    Summary: on 4 real images, GIF is 1.1-2.3x larger than lossless WebP (3.8x WebP q80
    on a photo) and BMP or TIFF 13-193x; WebP and AVIF cost more CPU to decode (Pillow,
    2 cores).

    ## References
    - creedengo GCI203 (which also flags PNG, JPEG, WebP and AVIF); greenlint GL017;
      creedengo GCI31
    - web.dev: "Use WebP images", "Replace animated GIFs with video"
    """

    code = "ECO801"
    name = "heavy-image-format"
    message = "`{path}` is a {ext} image: {alternative}"
    impact = "medium"
    opt_in = True
    VALID = [
        Valid(
            """
            from flask import Flask, request

            app = Flask(__name__)

            @app.route("/cached.gif")
            def in_cache():
                url = request.base_url.replace("/cached.gif", "/")
                return PIXEL
            """
        ),
        Valid(
            """
            from tornado.web import Application

            routes = [(r"/online.gif", StaticDataHandler, {"data": PIXEL})]
            """
        ),
        Valid("""
            from flask import url_for

            logo = url_for('static', filename='logo.webp')
            """),
        Valid("""
            import mimetypes

            TYPES = {'.gif': 'image/gif', '.bmp': 'image/bmp'}
            """),
        Valid("""
            import glob

            files = glob.glob('*.gif')
            """),
        Valid("image = load('sprites/hero.gif')\n"),
        Valid("""
            from django.shortcuts import render

            NAME = 'gifts.html'
            PIC = 'a.gif.webp'
            """),
        Valid('html = \'<img src="/static/logo.svg" alt="">\'\n'),
    ]
    INVALID = [
        Invalid(
            """
            from flask import url_for

            banner = url_for('static', filename='img/banner.GIF')
            """,
            line=3,
        ),
        Invalid('html = \'<p><img src="/static/spinner.gif" alt=""></p>\'\n', line=1),  # noqa: ECO801
        Invalid(
            """
            from flask import send_file

            def scan():
                return send_file('scans/page-1.tiff?v=2')
            """,
            line=4,
        ),
        Invalid(
            """
            from django.conf import settings

            BACKGROUND = 'https://cdn.example.com/bg.bmp'
            CSS = 'body { background: url("/static/tile.gif") }'
            """,
            line=3,
            count=2,
        ),
        Invalid(
            """
            def card(u):
                return f'<img src="{u.cdn}/avatar.bmp">{u.name}'
            """,
            line=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._web_module = self.imports.imports_module(*WEB_FRAMEWORKS)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        # The quoted text: an extension cannot straddle its quotes, and `raw_value`
        # costs more than the check on the many strings that name no image.
        lowered = node.value.lower()
        if not any(ext in lowered for ext in _QUICK):
            return
        raw = node.raw_value
        if isinstance(self.parent_of(node), cst.Expr):
            return  # a docstring or a bare string statement: documentation, not an asset
        path = _PATH.match(raw.strip())
        if path is not None:
            if self._names_an_endpoint(node):
                return
            if self._web_module or self._sent_as_static(node):
                self._report(node, raw.strip(), path.group("ext"))
            return
        markup = _MARKUP.search(raw)
        if markup is not None:
            self._report(node, markup.group("path"), markup.group("ext"))

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        # Each `{...}` reads as one path character, so `src="{cdn}/a.gif"` is seen whole.
        text = "".join(
            part.value if isinstance(part, cst.FormattedStringText) else "x" for part in node.parts
        )
        if any(ext in text.lower() for ext in _QUICK):
            markup = _MARKUP.search(text)
            if markup is not None:
                self._report(node, markup.group("path"), markup.group("ext"))

    def _names_an_endpoint(self, node: cst.SimpleString) -> bool:
        """``@app.route("/cached.gif")``, ``(r"/online.gif", Handler, {...})`` or
        ``url.replace("/cached.gif", "/")``: the string is a URL path the application
        answers, or a pattern it tests; the bytes it serves are made elsewhere (often a
        1x1 probe pixel), so there is no image file to convert."""
        parent = self.parent_of(node)
        if isinstance(parent, cst.Element):  # an item of a tuple: a handler route?
            container = self.parent_of(parent)
            return (
                isinstance(container, cst.Tuple)
                and container.elements[0] is parent
                and len(container.elements) >= 2
                and isinstance(container.elements[1].value, (cst.Name, cst.Attribute))
            )
        if not isinstance(parent, cst.Arg):
            return False
        call = self.parent_of(parent)
        return isinstance(call, cst.Call) and last_name(call) in _NOT_A_FILE

    def _sent_as_static(self, node: cst.SimpleString) -> bool:
        for ancestor in self.ancestors(node)[:3]:  # the Arg, then the Call
            if isinstance(ancestor, cst.Call):
                return last_name(ancestor) in STATIC_SENDERS
        return False

    def _report(self, node: cst.CSTNode, path: str, ext: str) -> None:
        ext = ext.lower()
        self.report(node, path=path, ext=ext.upper(), alternative=_ALTERNATIVES[ext])
