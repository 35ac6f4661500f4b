"""Merchant-facing sentences of the engine and the command line, in English and Simplified Chinese (no Qt).

The engine cannot use Qt's translator, so its sentences live here, each with its Chinese twin. The
language is "en" or "zh": set_language() (the GUI passes its setting), else $VITRINE_LANG, else the
system locale ($LC_ALL, $LC_MESSAGES, $LANG starting with "zh" → Chinese).
"""

from __future__ import annotations

import os

_language: str | None = None

# key → (English, Chinese); {names} are filled by say().
MESSAGES: dict[str, tuple[str, str]] = {
    "damaged": ("The model {model} is damaged: {reason}. Remove it with `vitrine models --delete {model}` "
                "(or the Remove button in the model list), or install it again.",
                "模型 {model} 已损坏：{reason}。请用 `vitrine models --delete {model}`（或模型列表中的“删除”按钮）删除它，或重新安装。"),
    "no_model": ("There is no model called {model!r}. Installed: {installed}.",
                 "没有名为 {model!r} 的模型。已安装：{installed}。"),
    "other_version": ("This picture was made with another version of {model} ({made}…); installed: {model} "
                      "({installed}…). Install that version of {model} to remake it exactly.",
                      "这张图片是用另一个版本的 {model}（{made}…）生成的；已安装的是 {model}（{installed}…）。"
                      "请安装那个版本的 {model} 才能完全一样地重新生成。"),
    "not_installed": ("This picture was made with the model {model}{version}, which is not installed. Installed: "
                      "{installed}.", "这张图片是用模型 {model}{version} 生成的，但该模型未安装。已安装：{installed}。"),
    "disk_full": ("The disk is full: {what} could not be saved to {folder}. Free some space (about {need} MB) and "
                  "try again; nothing half-written was left.",
                  "磁盘已满：{what} 无法保存到 {folder}。请腾出一些空间（约 {need} MB）后重试；没有留下写了一半的文件。"),
    "write_failed": ("{what} could not be saved to {folder} ({error}); nothing half-written was left.",
                     "{what} 无法保存到 {folder}（{error}）；没有留下写了一半的文件。"),
    "swept": ("Cleaned up after an interrupted run: {items}.", "已清理上次中断留下的文件：{items}。"),
    "description_long": ("The description is {n:,} characters long; at most {limit:,} are allowed. Shorten it.",
                         "描述有 {n:,} 个字符，最多允许 {limit:,} 个。请缩短描述。"),
    "request_bad": ("The Vitrine request in {file} is not valid: {reason}.", "{file} 中的 Vitrine 请求无效：{reason}。"),
    "unchanged": ("After {steps} step(s) the model was not yet closer to your photos than {base}, so no new model "
                  "was saved (it would be a copy of {base}). Train longer, e.g. with the Standard preset.",
                  "训练 {steps} 步后，模型还没有比 {base} 更接近您的照片，因此没有保存新模型（它只会是 {base} 的副本）。"
                  "请训练更长时间，例如使用“标准”预设。"),
    "upscaler_missing": ("The {style} upscaler is not installed ({folder} is missing), so the picture cannot be "
                         "enlarged the way it was asked. Install it, or choose the other upscaler.",
                         "“{style}”放大模型未安装（缺少 {folder}），无法按要求放大图片。请安装它，或选择另一种放大方式。"),
    "upscaler_fallback": ("The {sharp} upscaler is not installed, so these pictures were enlarged with {faithful}.",
                          "“{sharp}”放大模型未安装，这些图片改用“{faithful}”放大。"),
}

# Short reasons (the {reason} of "damaged" and "request_bad") and import/export refusals.
REASONS: dict[str, str] = {
    "config.json is missing": "缺少 config.json",
    "config.json cannot be read": "config.json 无法读取",
    "its config.json is damaged": "config.json 已损坏",
    "it does not describe its network": "它没有描述自己的网络",
    "it lists its files wrongly": "它列出的文件不正确",
    "it does not list its generator weights": "它没有列出生成器权重",
    "it names a file outside its folder": "它引用了文件夹以外的文件",
    "a weight file does not match its hash": "有权重文件与其哈希值不符",
    "a weight file is missing": "缺少权重文件",
    "it was made for another vocabulary of products and colours": "它是为另一套商品和颜色词汇制作的",
    "it uses a format version this Vitrine cannot read": "它使用了本 Vitrine 无法读取的格式版本",
    "its network type is unknown": "它的网络类型未知",
    "its network sizes are impossible": "它的网络尺寸不合理",
    "its sliders are described wrongly": "它的滑块描述有误",
    "its name is not valid": "它的名称无效",
    "the weights do not fit the network": "权重与网络不匹配",
    "the weights cannot be read": "权重无法读取",
    "the description is too long": "描述太长",
    "a slider value is not a finite number within the slider's range": "滑块数值不是滑块范围内的有限数字",
    "a number is outside the allowed range": "有数值超出允许范围",
    "a field has the wrong type": "有字段类型错误",
    "the disk is full": "磁盘已满",
    "it could not be saved": "无法保存",
}


def language() -> str:
    """"en" or "zh" (see the module docstring)."""
    if _language in ("en", "zh"):
        return _language
    env = os.environ.get("VITRINE_LANG", "").lower()
    if env in ("en", "zh"):
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str | None) -> None:
    """Fix the language ("en" | "zh"); None or "auto" → follow $VITRINE_LANG and the locale again."""
    global _language
    _language = lang if lang in ("en", "zh") else None


def reason(text: str) -> str:
    """A short reason in the current language (unchanged when it has no translation)."""
    return REASONS.get(text, text) if language() == "zh" else text


def say(key: str, **values) -> str:
    """The sentence `key` in the current language with `values` filled in."""
    en, zh = MESSAGES[key]
    return (zh if language() == "zh" else en).format(**values)
