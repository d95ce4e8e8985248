"""What a reader sees of a page or an API answer, and the text in it that is in the wrong script for its language.

- English pages: no Chinese characters or Chinese punctuation (、，。：；（）《》…) outside content;
- 繁體中文 (zh-hant) pages: no simplified characters (SIMPLIFIED_FROM) outside content, and the content itself
  converted (on public pages);
- 简体中文 (zh-hans) pages: no traditional characters (TRADITIONAL_FROM).

Content is what the records hold (every text of the industry, parks and policies records, found in the database:
no marking in templates to forget): a piece of Chinese text counts as content when it is one of the Chinese
stretches of a record's text in the script the page shows content in (stored simplified text on English and
simplified pages, its conversion on traditional ones), or the beginning of one (a description cut short). Text is
split into stretches of Chinese characters (ideographs, for the Chinese pages; with Chinese punctuation, for English
pages), so a label stuck to a name ("霖南基因 有限公司" + "的企业") is checked as the label it is.
"""

import json
import re
from functools import cache
from html.parser import HTMLParser

import opencc
from django.apps import apps
from django.db import models

# Reviewed list of Chinese allowed outside content on every page:
# - the names of the languages in the switcher, each written in its own script as is the custom;
# - brand names, as their owners write them (the Gaode base map's attribution);
# - on the admin's forms, examples of what staff type (dates written the Chinese way, yes/no, amounts in 亿, short
#   names, a document number and a certificate number prefix), shown so that staff know they are accepted.
ALLOWED = {"简体中文", "繁體中文", "高德地图"}
INPUT_EXAMPLES = {
    "年",
    "月",
    "日",
    "2019年3月5日",
    "2024年5月31日",
    "是",
    "否",
    "是/否",
    "3亿",
    "中山一院",
    "细胞治疗",
    "國械注準",
    "国械注准",
    "穗南开管办〔2024〕1号",
}
CONTENT_APPS = ("industry", "parks", "policies")
# Chinese ideographs (CJK Unified, Extension A, compatibility).
IDEOGRAPHS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese punctuation: CJK symbols (、。《》「」【】…), fullwidth forms (，：；（）！？).
CHINESE_PUNCTUATION = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
# A stretch: Chinese characters, Chinese punctuation and digits together ("最高500万元" is one stretch, so that the
# "万元" of "up to 500 万元" is not taken for a piece of it), with at least one Chinese character.
STRETCH = re.compile(
    f"[{IDEOGRAPHS}{CHINESE_PUNCTUATION}0-9]*[{IDEOGRAPHS}{CHINESE_PUNCTUATION}][{IDEOGRAPHS}{CHINESE_PUNCTUATION}0-9]*"
)


def stretches_of(text):
    return STRETCH.findall(text)


# Attributes a reader sees or hears; an input's value only for buttons (other values are what staff typed).
SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
BUTTON_TYPES = {"submit", "button", "reset"}


@cache
def _converter(config):
    return opencc.OpenCC(config)


def _texts_of_json(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts_of_json(key)
            yield from _texts_of_json(value)
    elif isinstance(data, list):
        for value in data:
            yield from _texts_of_json(value)


class _Reader(HTMLParser):
    """Text nodes and shown attributes; JSON script blocks read as data; other scripts, styles and typed values
    (textarea, input values) left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.skipping, self.json_block = [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and name in SHOWN_ATTRIBUTES:
                self.texts.append(value)
        if tag == "meta" and attrs.get("name") == "description":
            self.texts.append(attrs.get("content") or "")
        if tag == "input" and attrs.get("type") in BUTTON_TYPES and attrs.get("value"):
            self.texts.append(attrs["value"])
        if tag == "script" and "json" in (attrs.get("type") or ""):
            self.json_block = []
        elif tag in ("script", "style", "textarea"):
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag == "script" and self.json_block is not None:
            try:
                self.texts.extend(_texts_of_json(json.loads("".join(self.json_block))))
            except ValueError:
                self.texts.append("".join(self.json_block))
            self.json_block = None
        elif tag in ("script", "style", "textarea"):
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        if self.json_block is not None:
            self.json_block.append(data)
        elif not self.skipping:
            self.texts.append(data)


def texts_of_page(html):
    """The texts a reader of the HTML page `html` (str) sees, in the order of the page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.texts


def texts_of_json(data):
    """Every text (keys and values) of a decoded JSON document."""
    return list(_texts_of_json(data))


class Content:
    """The Chinese stretches of every record's text: {script: set of stretches}, read once from the database."""

    def __init__(self):
        stored = set()
        for app in CONTENT_APPS:
            for model in apps.get_app_config(app).get_models():
                fields = [
                    f.attname
                    for f in model._meta.concrete_fields
                    if isinstance(f, models.CharField | models.TextField | models.JSONField)
                ]
                for row in model._default_manager.values_list(*fields):
                    stored.update(text for text in _texts_of_json(list(row)) if STRETCH.search(text))
        converted = {_converter("s2hk").convert(text) for text in stored}
        self.stretches = {
            script: {match for text in texts for match in stretches_of(text)}
            for script, texts in (("zh-hans", stored), ("zh-hant", converted))
        }

    def holds(self, stretch, script):
        if stretch in self.stretches[script]:
            return True
        # A page may show a part of a longer text (a history diff, a shortened cell): four characters or more of it.
        return len(stretch) >= 4 and any(stretch in known for known in self.stretches[script])


# A character is simplified when converting to traditional for Hong Kong and for Taiwan both change it (s2hk alone
# would take Taiwan's forms for faults, e.g. Django's 群組, HK 羣組; s2t, the standard's 台 -> 臺); traditional when
# converting to simplified from the standard, Hong Kong's and Taiwan's forms all change it.
SIMPLIFIED_FROM = ("s2hk", "s2tw")
TRADITIONAL_FROM = ("t2s", "hk2s", "tw2s")


def _changed_by_all(run, configs):
    """True when some character of `run` is changed, at its place, by every OpenCC conversion of `configs`."""
    converted = [_converter(config).convert(run) for config in configs]
    if any(len(other) != len(run) for other in converted):  # a phrase converted to one of another length
        return all(other != run for other in converted)
    return any(all(other[i] != char for other in converted) for i, char in enumerate(run))


def wrong_script(texts, language, content, stored_content=False):
    """The stretches of `texts` in the wrong script for a page in `language` ("en", "zh-hans" or "zh-hant") that
    are neither content (a `Content`) nor ALLOWED, each once, in the order found.

    stored_content: content may also be shown as stored (simplified) on a traditional page: the admin, where staff
    read and edit the stored text.
    """
    found = []
    for text in texts:
        if language == "en":
            wrong = stretches_of(text)
            script = "zh-hans"  # English pages show Chinese content as stored where there is no English
        else:
            configs = SIMPLIFIED_FROM if language == "zh-hant" else TRADITIONAL_FROM
            wrong = [run for run in stretches_of(text) if _changed_by_all(run, configs)]
            script = language
        for stretch in wrong:
            if stretch in ALLOWED or stretch in INPUT_EXAMPLES or stretch in found or content.holds(stretch, script):
                continue
            if stored_content and content.holds(stretch, "zh-hans"):
                continue
            found.append(stretch)
    return found
