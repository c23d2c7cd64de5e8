import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from core import images
from core.images import clean_image_upload

EXIF_ORIENTATION = 0x0112
EXIF_MAKE = 0x010F


def _png_bytes(size=(64, 48), color=(200, 30, 30), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG", **save_options)
    return buffer.getvalue()


def _jpeg_with_exif(size=(80, 40)):
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SecretCam"
    exif[EXIF_ORIENTATION] = 6  # rotate 90° clockwise when shown
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 220)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _png_chunk(kind, payload):
    body = kind + payload
    crc = struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    return struct.pack(">I", len(payload)) + body + crc


def _png_bomb(width, height):
    """A small PNG whose header declares width x height pixels.

    The pixel data is a few compressed rows only: a decoder that trusted the
    header would allocate width x height x 3 bytes before noticing.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width * 3 + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def _upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _rejection(upload):
    with pytest.raises(ValidationError) as caught:
        clean_image_upload(upload)
    return caught.value


def test_png_accepted_and_reencoded():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-text-chunk")
    cleaned = clean_image_upload(_upload("logo.png", _png_bytes(pnginfo=info)))
    assert cleaned.name.endswith(".png")
    assert cleaned.name != "logo.png"
    data = cleaned.read()
    assert b"secret-text-chunk" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (64, 48)
        assert "Comment" not in image.info


def test_jpeg_exif_removed():
    original = _jpeg_with_exif()
    assert b"SecretCam" in original
    cleaned = clean_image_upload(_upload("photo.jpg", original))
    data = cleaned.read()
    assert b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        # The orientation was applied to the pixels before the EXIF went.
        assert image.size == (40, 80)


def test_random_names_differ():
    first = clean_image_upload(_upload("logo.png", _png_bytes()))
    second = clean_image_upload(_upload("logo.png", _png_bytes()))
    assert first.name != second.name


def test_appended_bytes_dropped():
    payload = _png_bytes() + b"<script>alert(1)</script>"
    cleaned = clean_image_upload(_upload("logo.png", payload))
    assert b"<script>" not in cleaned.read()


def test_gif_comment_dropped():
    colors = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    frames = [Image.new("RGB", (16, 16), color) for color in colors]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        comment=b"secret-gif-comment",
        duration=80,
        loop=0,
    )
    assert b"secret-gif-comment" in buffer.getvalue()
    cleaned = clean_image_upload(_upload("anim.gif", buffer.getvalue()))
    data = cleaned.read()
    assert b"secret-gif-comment" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.n_frames == 3


def test_webp_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (0, 200, 0)).save(buffer, "WEBP")
    cleaned = clean_image_upload(_upload("logo.webp", buffer.getvalue()))
    assert cleaned.name.endswith(".webp")


def test_svg_with_script_rejected():
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    error = _rejection(_upload("logo.svg", svg, "image/svg+xml"))
    assert error.messages == [images.MSG_SVG]


def test_svg_renamed_png_rejected():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
    error = _rejection(_upload("logo.png", svg, "image/png"))
    assert error.messages == [images.MSG_SVG]


def test_text_named_png_rejected():
    error = _rejection(_upload("logo.png", b"just some text, not an image\n" * 10))
    assert error.messages == [images.MSG_NOT_IMAGE]


def test_content_extension_mismatch():
    error = _rejection(_upload("logo.jpg", _png_bytes()))
    assert error.messages == [images.MSG_MISMATCH.format(extension="jpg", found="PNG")]


def test_unknown_extension_rejected():
    error = _rejection(_upload("logo.bmp", _png_bytes()))
    assert error.messages == [images.MSG_EXTENSION.format(extension="bmp")]


def test_other_format_rejected():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    error = _rejection(_upload("logo.png", buffer.getvalue()))
    assert error.messages == [images.MSG_NOT_IMAGE]


def test_decompression_bomb_rejected(settings):
    assert len(_png_bomb(30000, 30000)) < 10_000
    error = _rejection(_upload("bomb.png", _png_bomb(30000, 30000)))
    assert error.messages == [
        images.MSG_TOO_MANY_PIXELS.format(limit=settings.UPLOAD_MAX_PIXELS)
    ]


def test_pixel_limit_setting(settings):
    settings.UPLOAD_MAX_PIXELS = 1000
    error = _rejection(_upload("logo.png", _png_bytes(size=(40, 40))))
    assert error.messages == [images.MSG_TOO_MANY_PIXELS.format(limit=1000)]


def test_six_megabytes_rejected():
    data = _png_bytes() + b"\0" * (6 * 1024 * 1024)
    error = _rejection(_upload("big.png", data))
    assert error.messages == [
        images.MSG_TOO_LARGE.format(size=len(data) / 2**20, limit=5)
    ]


def test_empty_file_rejected():
    error = _rejection(_upload("logo.png", b""))
    assert error.messages == [images.MSG_EMPTY]


def test_truncated_png_rejected():
    data = _png_bytes(size=(300, 300), color=(1, 2, 3))
    error = _rejection(_upload("logo.png", data[: len(data) // 2]))
    assert error.messages == [images.MSG_NOT_IMAGE]


def test_long_animation_rejected():
    frames = [
        Image.new("RGB", (8, 8), (index, 255 - index, index // 2))
        for index in range(images.MAX_FRAMES + 5)
    ]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    error = _rejection(_upload("anim.gif", buffer.getvalue()))
    assert error.messages[0] == images.MSG_TOO_MANY_FRAMES.format(
        limit=images._max_pixels(), frames=images.MAX_FRAMES
    )
