"""Validation and re-encoding of uploaded images (logos, banners, avatars).

An upload is trusted only after Pillow has decoded it. The stored file is a
fresh encoding of the decoded pixels, so metadata (EXIF, comments, text
chunks) and any bytes appended to the image are dropped, and its name is
random.
"""

import io
import uuid
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> stored file extension.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
EXTENSION_FORMATS = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
}

MSG_TOO_LARGE = "The image is {size:.1f} MB; the maximum is {limit} MB."
MSG_EMPTY = "The file is empty."
MSG_SVG = "SVG images are not accepted. Upload a JPEG, PNG, GIF or WebP image."
MSG_EXTENSION = (
    "Files ending in .{extension} are not accepted. "
    "Upload a JPEG, PNG, GIF or WebP image."
)
MSG_NOT_IMAGE = (
    "The file is not a readable image. Upload a JPEG, PNG, GIF or WebP image."
)
MSG_FORMAT = "{found} images are not accepted. Upload a JPEG, PNG, GIF or WebP image."
MSG_MISMATCH = "The file is named .{extension} but contains a {found} image."
MSG_TOO_MANY_PIXELS = (
    "The image is {width}x{height} pixels; the maximum is {limit:,} pixels in all."
)


def _max_bytes():
    return settings.UPLOAD_MAX_BYTES


def _max_pixels():
    return settings.UPLOAD_MAX_PIXELS


def _check_size(upload):
    if upload.size == 0:
        raise ValidationError(MSG_EMPTY, code="empty")
    if upload.size > _max_bytes():
        raise ValidationError(
            MSG_TOO_LARGE.format(
                size=upload.size / (1024 * 1024), limit=_max_bytes() // (1024 * 1024)
            ),
            code="too_large",
        )


def _check_extension(name):
    extension = Path(name or "").suffix.lower().lstrip(".")
    if extension == "svg" or extension == "svgz":
        raise ValidationError(MSG_SVG, code="svg")
    if extension not in EXTENSION_FORMATS:
        raise ValidationError(
            MSG_EXTENSION.format(extension=extension or "(none)"), code="extension"
        )
    return extension


def _looks_like_markup(head):
    stripped = head.lstrip().lower()
    return stripped.startswith(b"<") or b"<svg" in stripped


def _open_checked(data, extension):
    """Open the image header and check format and pixel count before decoding."""
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        if _looks_like_markup(data[:1024]):
            raise ValidationError(MSG_SVG, code="svg") from exc
        raise ValidationError(MSG_NOT_IMAGE, code="not_image") from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(MSG_NOT_IMAGE, code="too_many_pixels") from exc
    found = image.format
    if found not in ACCEPTED_FORMATS:
        raise ValidationError(MSG_FORMAT.format(found=found), code="format")
    if EXTENSION_FORMATS[extension] != found:
        raise ValidationError(
            MSG_MISMATCH.format(extension=extension, found=found), code="mismatch"
        )
    width, height = image.size
    if width * height > _max_pixels():
        raise ValidationError(
            MSG_TOO_MANY_PIXELS.format(width=width, height=height, limit=_max_pixels()),
            code="too_many_pixels",
        )
    return image


def _decode(image):
    """Decode every pixel; a truncated or corrupt file fails here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(MSG_NOT_IMAGE, code="not_image") from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(MSG_NOT_IMAGE, code="too_many_pixels") from exc


def _encode(image, image_format):
    """Write the decoded pixels to a new file with no metadata."""
    output = io.BytesIO()
    if image_format == "JPEG":
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        image.save(output, "PNG", optimize=True)
    elif image_format == "GIF":
        image.save(output, "GIF", save_all=getattr(image, "is_animated", False))
    else:
        image.save(
            output, "WEBP", quality=88, save_all=getattr(image, "is_animated", False)
        )
    return output.getvalue()


def clean_image_upload(upload):
    """Validate an uploaded file and return a re-encoded ContentFile.

    Raises ValidationError with a message that names the problem: size, SVG,
    extension, unreadable content, a format or extension mismatch, or too
    many pixels (decompression bombs are stopped before decoding).
    """
    _check_size(upload)
    extension = _check_extension(getattr(upload, "name", ""))
    upload.seek(0)
    data = upload.read()
    image = _open_checked(data, extension)
    image_format = image.format
    _decode(image)
    encoded = _encode(image, image_format)
    name = f"{uuid.uuid4().hex}.{ACCEPTED_FORMATS[image_format]}"
    return ContentFile(encoded, name=name)


@deconstructible
class UploadFolder:
    """upload_to for image fields: keeps the random name clean_image_upload gave."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        return f"{self.folder}/{Path(filename).name}"

    def __eq__(self, other):
        return isinstance(other, UploadFolder) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)
