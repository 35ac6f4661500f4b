"""Hostile photo and picture files: every one is refused with a clear reason, the rest of the batch goes on,
and the metadata readers only ever raise their documented errors (issue 10)."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

from app import metadata, output
from app.data import photo_import
from app.data.photo_import import import_photos, load_photo
from app.requests import GenerateRequest

REQ = GenerateRequest(description="red leather heels", seed=7, count=1)


def _photo(seed: int = 0, size: int = 80) -> np.ndarray:
    rng = np.random.default_rng(seed)
    im = np.full((size, size, 3), 255, np.uint8)
    a, b = size // 4, 3 * size // 4
    im[a:b, a:b] = rng.integers(0, 255, 3, dtype=np.uint8)
    im[a:b:3, a:b] = rng.integers(0, 255, (len(range(a, b, 3)), b - a, 3), dtype=np.uint8)
    return im


def _encode(pixels: np.ndarray, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format=fmt, **kw)
    return buf.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG claiming huge dimensions (a decompression bomb by its header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.fixture
def good(tmp_path) -> Path:
    p = tmp_path / "good-red-heels.png"
    p.write_bytes(_encode(_photo(1), "PNG"))
    return p


def _codes(result) -> dict[str, str]:
    return {r.path.name: r.code for r in result.rejected}


# ---- photo import --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,ext", [("JPEG", ".jpg"), ("PNG", ".png"), ("WEBP", ".webp")])
def test_truncated_and_corrupt_files_are_refused_and_the_batch_goes_on(tmp_path, good, fmt, ext):
    data = _encode(_photo(2, 200), fmt)
    (tmp_path / f"cut{ext}").write_bytes(data[: len(data) // 2])
    (tmp_path / f"head-only{ext}").write_bytes(data[:40])
    flipped = bytearray(data)
    for k in range(len(flipped) // 3, len(flipped) - 8, 17):
        flipped[k] ^= 0x5A
    (tmp_path / f"flipped{ext}").write_bytes(bytes(flipped))
    (tmp_path / f"empty{ext}").write_bytes(b"")
    (tmp_path / f"text{ext}").write_text("this is not a picture at all\n" * 20)
    r = import_photos([tmp_path])
    codes = _codes(r)
    assert [p.path.name for p in r.photos][:1] == [good.name] or good.name in [p.path.name for p in r.photos]
    assert codes[f"empty{ext}"] == "not_image"
    assert codes[f"text{ext}"] == "not_image"
    assert codes[f"head-only{ext}"] in ("corrupt", "not_image")
    # A cut JPEG may still decode (Pillow pads it) only if LOAD_TRUNCATED_IMAGES were on; it is not.
    assert codes[f"cut{ext}"] == "corrupt"
    for rej in r.rejected:
        assert rej.reason and "\n" not in rej.reason and "Traceback" not in rej.reason
    # flipped bytes: either refused with a reason or decoded into a usable photo; never an exception
    assert f"flipped{ext}" in codes or f"flipped{ext}" in [p.path.name for p in r.photos]


def test_decompression_bomb_is_refused_quickly_without_decoding(tmp_path, good):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(60_000, 60_000))  # 3.6 gigapixels in < 100 bytes
    mid = tmp_path / "mid.png"
    mid.write_bytes(_png_header_only(7_000, 7_000))  # 49 MP: above our 40 MP limit, below Pillow's error
    r = import_photos([bomb, good, mid])
    assert _codes(r) == {"bomb.png": "too_large", "mid.png": "too_large"}
    assert [p.path for p in r.photos] == [good]
    assert all("megapixels" in x.reason for x in r.rejected)


def test_wrong_extensions_are_judged_by_content(tmp_path):
    png_as_jpg = tmp_path / "really-a-png.jpg"
    png_as_jpg.write_bytes(_encode(_photo(3), "PNG"))
    jpg_as_webp = tmp_path / "really-a-jpeg.webp"
    jpg_as_webp.write_bytes(_encode(_photo(4), "JPEG"))
    gif = tmp_path / "anim.png"
    gif.write_bytes(_encode(_photo(5), "GIF"))
    exe = tmp_path / "setup.jpg"
    exe.write_bytes(b"MZ\x90\x00" + os.urandom(2000))
    r = import_photos([png_as_jpg, jpg_as_webp, gif, exe])
    assert {p.path.name for p in r.photos} == {"really-a-png.jpg", "really-a-jpeg.webp"}
    codes = _codes(r)
    assert codes == {"anim.png": "not_image", "setup.jpg": "not_image"}
    assert "GIF" in next(x.reason for x in r.rejected if x.path == gif)


def test_directories_symlink_loops_and_missing_files(tmp_path, good):
    drop = tmp_path / "drop"
    (drop / "sub").mkdir(parents=True)
    (drop / "sub" / "b.png").write_bytes(_encode(_photo(6), "PNG"))
    os.symlink(drop, drop / "sub" / "loop")  # a folder that contains itself
    os.symlink(drop / "self-link.png", drop / "self-link.png")  # a link to itself
    os.symlink(tmp_path / "nowhere.png", drop / "dangling.png")
    dir_named_like_a_photo = tmp_path / "folder.jpg"
    dir_named_like_a_photo.mkdir()
    r = import_photos([drop, good, tmp_path / "missing.png", dir_named_like_a_photo])
    names = sorted(p.path.name for p in r.photos)
    assert names == ["b.png", good.name]
    codes = _codes(r)
    assert codes.get("missing.png") == "unreadable"
    for rej in r.rejected:
        assert rej.code in ("unreadable", "not_image", "corrupt"), rej
        assert rej.reason


def test_odd_file_names(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9-\xff\xfe-red.png"  # not UTF-8 (Latin-1 from an old zip)
    with open(raw, "wb") as f:
        f.write(_encode(_photo(7), "PNG"))
    long_name = tmp_path / ("深红色高跟鞋-" * 12 + "x.png")  # ~230 bytes of UTF-8, near the 255-byte limit
    long_name.write_bytes(_encode(_photo(8), "PNG"))
    r = import_photos([tmp_path])
    assert len(r.photos) == 2, r.rejected
    for p in r.photos:
        p.hint.encode("utf-8", "surrogateescape")  # the hint is a str we can show
    too_long = tmp_path / ("a" * 300 + ".png")  # the OS refuses the name itself
    r2 = import_photos([too_long])
    assert _codes(r2) == {too_long.name: "unreadable"}


@pytest.mark.parametrize("mode", ["CMYK", "I;16", "I", "P", "P+t", "RGBA", "LA", "L", "1", "F"])
def test_unusual_colour_modes_become_plain_rgb(tmp_path, mode):
    src = Image.fromarray(_photo(9, 96))
    fmt = "PNG"
    if mode == "RGBA":
        a = np.asarray(src.convert("RGBA")).copy()
        a[:10, :, 3] = 0  # a transparent band → white
        im = Image.fromarray(a, "RGBA")
    elif mode == "P+t":  # palette with a transparent index
        im = src.convert("P")
        im.info["transparency"] = 0
    elif mode in ("I;16", "I", "F"):
        im = Image.fromarray(np.asarray(src.convert("L")).astype(np.uint16) * 257)  # 16-bit grey
        assert im.mode.startswith("I")
        if mode == "F":
            im, fmt = im.convert("F"), "TIFF"
        elif mode == "I":
            im, fmt = im.convert("I"), "TIFF"
    elif mode == "CMYK":
        im, fmt = src.convert("CMYK"), "JPEG"
    else:
        im = src.convert(mode)
    path = tmp_path / f"photo-{mode.replace(';', '').replace('+', '')}.{fmt.lower()}"
    im.save(path, format=fmt, **({"transparency": 0} if mode == "P+t" else {}))
    pixels, _, size = load_photo(path, 32)
    assert pixels.shape == (32, 32, 3) and pixels.dtype == np.uint8
    assert size == (96, 96)
    if mode == "RGBA":
        assert (load_photo(path, 96)[0][2, 40] == 255).all()
    if mode in ("I;16", "I"):  # 16-bit grey must not come out black or clipped white
        assert 20 < pixels.mean() < 250


def test_a_decoder_crash_in_one_file_does_not_stop_the_batch(tmp_path, good, monkeypatch):
    bad = tmp_path / "bad.png"
    bad.write_bytes(_encode(_photo(10), "PNG"))
    real = photo_import.load_photo

    def flaky(path, *a, **k):
        if path.name == "bad.png":
            raise MemoryError("decoder exploded")
        return real(path, *a, **k)

    monkeypatch.setattr(photo_import, "load_photo", flaky)
    r = import_photos([bad, good])
    assert [p.path for p in r.photos] == [good]
    assert _codes(r) == {"bad.png": "corrupt"}


# ---- metadata readers --------------------------------------------------------------------------------
@pytest.mark.parametrize("reader", [metadata.read_request, output.read_request])
def test_metadata_readers_give_clear_errors(tmp_path, reader):
    cases = {
        "empty.png": b"",
        "text.png": b"hello",
        "cut.png": output.png_bytes(_photo(11), REQ)[:60],
        "bomb.png": _png_header_only(60_000, 60_000),
        "plain.png": _encode(_photo(12), "PNG"),
        "plain.jpg": _encode(_photo(12), "JPEG"),
        "bad.json": b"{not json",
        "nested.json": b"[" * 100_000 + b"]" * 100_000,
        "latin1.json": b'{"request": {"description": "caf\xe9"}}',
        "wrong.json": b'{"request": {"description": 5}}',
        "inf.json": b'{"request": {"description": "x", "seed": 1e400}}',
        "offsets.json": b'{"request": {"description": "x", "offsets": 5}}',
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ValueError) as e:
            reader(p)
        assert p.name in str(e.value) or "Vitrine" in str(e.value) or "request" in str(e.value), (name, e.value)
    with pytest.raises(FileNotFoundError):
        reader(tmp_path / "missing.png")
    with pytest.raises((FileNotFoundError, ValueError)):
        reader(tmp_path)  # a folder


def test_read_pixels_gives_clear_errors(tmp_path):
    for name, data in {"empty.png": b"", "junk.webp": b"RIFF\0\0\0\0WEBPjunk", "bomb.png": _png_header_only(60_000, 60_000),
                       "cut.jpg": _encode(_photo(13, 128), "JPEG")[:300]}.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ValueError, match=name.replace(".", r"\.")):
            metadata.read_pixels(p)
    with pytest.raises(FileNotFoundError):
        metadata.read_pixels(tmp_path / "missing.png")
    ok = tmp_path / "ok.png"
    ok.write_bytes(output.png_bytes(_photo(14), REQ))
    assert metadata.read_pixels(ok).shape == (80, 80, 3)


# ---- property: garbage in, documented errors out ------------------------------------------------------
_SEEDS = [output.png_bytes(_photo(15, 40), REQ), metadata.encode_image(_photo(15, 40), REQ, "jpeg"),
          metadata.encode_image(_photo(15, 40), REQ, "webp"), b'{"vitrine": 1, "request": {"description": "x"}}']


@st.composite
def _garbage(draw):
    kind = draw(st.sampled_from(["random", "mutated", "cut"]))
    if kind == "random":
        return draw(st.binary(max_size=600))
    base = bytearray(draw(st.sampled_from(_SEEDS)))
    if kind == "cut":
        return bytes(base[: draw(st.integers(0, len(base)))])
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(base) - 1))
        base[i] = draw(st.integers(0, 255))
    return bytes(base)


_READERS = {
    "metadata.read_request": (metadata.read_request, (ValueError, FileNotFoundError)),
    "metadata.read_pixels": (metadata.read_pixels, (ValueError, FileNotFoundError)),
    "output.read_request": (output.read_request, (ValueError, FileNotFoundError)),
    "photo_import.load_photo": (lambda p: load_photo(p, 32), (photo_import._Reject,)),
}


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_garbage(), ext=st.sampled_from([".png", ".jpg", ".webp", ".json", ".bin"]))
def test_readers_raise_only_documented_errors_on_garbage(tmp_path_factory, data, ext):
    folder = tmp_path_factory.mktemp("garbage")
    p = folder / f"g{ext}"
    p.write_bytes(data)
    for name, (reader, allowed) in _READERS.items():
        try:
            reader(p)
        except allowed:
            pass
        except Exception as e:  # pragma: no cover - the assertion is the point
            raise AssertionError(f"{name} raised {type(e).__name__}: {e!r} on {data[:60]!r}{ext}") from e
