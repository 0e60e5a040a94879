"""The PNG files of the figures: the pixels matplotlib draws, RGB, the resolution stored, no
text chunk, byte-identical on rerun, and read the same by another decoder (Chromium's)."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from greenindex.figures.saving import encode_png_rgb, save_figure
from tests.browser import browser_page


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of every chunk, each CRC checked here by zlib.crc32."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i : i + 4])
        kind, body = data[i + 4 : i + 8], data[i + 8 : i + 8 + n]
        (crc,) = struct.unpack(">I", data[i + 8 + n : i + 12 + n])
        assert crc == zlib.crc32(kind + body), kind
        out.append((kind, body))
        i += 12 + n
    return out


def _figure() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(3, 2))
    fig.patch.set_alpha(0.0)  # a transparent background: composited on white
    ax.fill_between([0, 1, 2], [0, 2, 1], color="tab:green", alpha=0.5)
    ax.plot([0, 2], [2, 0], color="black")
    ax.set_title("region")
    return fig


def test_png_is_what_matplotlib_draws_on_white(tmp_path):
    fig = _figure()
    (png,) = save_figure(fig, tmp_path / "fig", formats=["png"], dpi=72)
    reference = io.BytesIO()
    fig.savefig(reference, format="png", dpi=72)  # matplotlib's own PNG writer, RGBA
    plt.close(fig)
    ref = Image.open(reference).convert("RGBA")
    white = Image.new("RGBA", ref.size, (255, 255, 255, 255))
    expected = np.asarray(Image.alpha_composite(white, ref).convert("RGB"))
    ours = Image.open(png)
    assert ours.mode == "RGB" and ours.size == (216, 144)
    assert np.array_equal(np.asarray(ours), expected)
    assert ours.info["dpi"] == pytest.approx((72, 72), abs=0.01)  # 2835 pixels per metre
    kinds = [k for k, _ in _chunks(png.read_bytes())]
    assert kinds[:2] == [b"IHDR", b"pHYs"] and kinds[-1] == b"IEND"
    assert set(kinds[2:-1]) == {b"IDAT"}  # no text, time or colour-profile chunk


def test_encoder_round_trips_any_pixels_in_several_chunks():
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 256, (300, 257, 3), dtype=np.uint8)  # incompressible: many IDATs
    data = encode_png_rgb(noise, 300)
    assert sum(k == b"IDAT" for k, _ in _chunks(data)) > 1
    back = Image.open(io.BytesIO(data))
    assert np.array_equal(np.asarray(back), noise)
    ihdr = dict(_chunks(data))[b"IHDR"]
    assert struct.unpack(">IIBBBBB", ihdr) == (257, 300, 8, 2, 0, 0, 0)
    phys = dict(_chunks(data))[b"pHYs"]
    assert struct.unpack(">IIB", phys) == (11811, 11811, 1)  # 300 dpi
    one = np.array([[[1, 2, 3]]], dtype=np.uint8)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(encode_png_rgb(one, 96)))), one)
    assert encode_png_rgb(noise, 300) == data  # deterministic
    with pytest.raises(ValueError, match="8-bit RGB"):
        encode_png_rgb(np.zeros((2, 2, 4), dtype=np.uint8), 300)


def test_chromium_decodes_the_same_pixels():
    """Another decoder than Pillow (Chromium's) reads the file to the same pixels."""
    fig = _figure()
    buf = io.BytesIO()
    fig.savefig(buf, format="raw", dpi=40)
    w, h = (int(v) for v in fig.get_size_inches() * 40)
    plt.close(fig)
    rgb = np.ascontiguousarray(np.frombuffer(buf.getvalue(), np.uint8).reshape(h, w, 4)[..., :3])
    url = "data:image/png;base64," + base64.b64encode(encode_png_rgb(rgb, 40)).decode()
    with browser_page() as (page, errors):
        pixels = page.evaluate(
            """async (url) => {
                const img = new Image();
                img.src = url;
                await img.decode();
                const c = document.createElement("canvas");
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const ctx = c.getContext("2d", {colorSpace: "srgb"});
                ctx.drawImage(img, 0, 0);
                return [c.width, c.height, Array.from(ctx.getImageData(0, 0, c.width, c.height).data)];
            }""",
            url,
        )
        assert not errors
    width, height, flat = pixels
    assert (width, height) == (w, h)
    seen = np.array(flat, dtype=np.uint8).reshape(h, w, 4)
    assert (seen[..., 3] == 255).all() and np.array_equal(seen[..., :3], rgb)
