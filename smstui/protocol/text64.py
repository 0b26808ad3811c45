"""The encrypted send's Text64 (§1.5): ordered compact JSON, DES-CBC with PKCS7, base64."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping

from .errors import Text64Error

FIELD_ORDER = ("UserName", "Secret", "Stamp", "Moblie", "Text", "Ext", "SendTime")


# The step that failed, in the words of the document's own 1009 entry (第十章).
BASE64_ZH, DES_ZH, JSON_ZH = "不是有效的base64编码", "Des解密失败", "解析json时出错"


def des_key(password: str) -> bytes:
    """The DES key and IV: the first 8 bytes of the UTF-8 password, padded right with zeros."""
    try:
        return password.encode("utf-8")[:8].ljust(8, b"\x00")
    except UnicodeEncodeError:
        raise Text64Error("the password holds a broken character (a lone surrogate)", "password") from None


def text64_json(fields: Mapping[str, str]) -> bytes:
    """The JSON of §1.5: documented keys first in their order, compact, non-ASCII raw."""
    ordered = {key: fields.get(key, "") for key in FIELD_ORDER}
    ordered.update({k: v for k, v in fields.items() if k not in ordered})
    try:
        return json.dumps(ordered, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        bad = next(k for k, v in ordered.items() if not _utf8(str(v)))
        raise Text64Error("holds a broken character (a lone surrogate) that UTF-8 cannot carry", bad) from None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def encode_text64(fields: Mapping[str, str], password: str) -> str:
    """Text64 for the fields under the password's DES key."""
    from Crypto.Cipher import DES
    from Crypto.Util.Padding import pad

    key = des_key(password)
    cipher = DES.new(key, DES.MODE_CBC, iv=key)
    return base64.b64encode(cipher.encrypt(pad(text64_json(fields), 8))).decode("ascii")


def decode_text64(text64: str, password: str) -> dict[str, str]:
    """The fields of a Text64; Text64Error says which step failed."""
    from Crypto.Cipher import DES
    from Crypto.Util.Padding import unpad

    try:
        data = base64.b64decode(text64.strip().replace(" ", "+"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Text64Error(f"not valid base64 ({exc})", "Text64", BASE64_ZH) from None
    if not data or len(data) % 8:
        raise Text64Error(f"{len(data)} bytes is not a whole number of DES blocks", "Text64", DES_ZH)
    key = des_key(password)
    try:
        plain = unpad(DES.new(key, DES.MODE_CBC, iv=key).decrypt(data), 8)
    except ValueError:
        raise Text64Error("DES decryption failed (wrong password?)", "Text64", DES_ZH) from None
    try:
        fields = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Text64Error("the decrypted text is not JSON", "Text64", JSON_ZH) from None
    if not isinstance(fields, dict):
        raise Text64Error("the decrypted JSON is not an object", "Text64", JSON_ZH)
    return {str(k): "" if v is None else str(v) for k, v in fields.items()}
