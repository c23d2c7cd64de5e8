"""Validation and re-encoding of uploaded images (logos, banners, avatars).

An upload is trusted only after Pillow has decoded it. The stored file is a
fresh encoding of the decoded pixels, so metadata (EXIF, ICC profiles,
comments, text chunks) and any bytes appended to the image are dropped, and
its name is random.
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
# Animation frames beyond this are rejected: each frame is decoded again when
# the image is re-encoded, so frames multiply the decoding work.
MAX_FRAMES = 100
# image.info keys that carry animation and transparency, not metadata.
KEPT_INFO_KEYS = frozenset({"transparency", "duration", "loop", "background"})

MSG_TOO_LARGE = "The file is {size:.1f} MB, but the maximum is {limit} MB."
MSG_EMPTY = "The file is empty. Upload a JPEG, PNG, GIF or WebP image."
MSG_SVG = "SVG images are not accepted. Upload a JPEG, PNG, GIF or WebP image."
MSG_EXTENSION = (
    "Files ending in .{extension} are not accepted. "
    "Upload a JPEG, PNG, GIF or WebP image."
)
MSG_NOT_IMAGE = (
    "The file is not a readable image. Upload a JPEG, PNG, GIF or WebP image."
)
MSG_MISMATCH = (
    "The file is named .{extension} but contains a {found} image. "
    "Rename it or upload another file."
)
MSG_TOO_MANY_PIXELS = (
    "The image has too many pixels: the maximum is {limit:,} pixels "
    "(width × height). Upload a smaller image."
)
MSG_TOO_MANY_FRAMES = (
    "The animation is too long: the maximum is {limit:,} pixels over all frames "
    "and {frames} frames. Upload a shorter or smaller animation."
)


def _max_bytes():
    return settings.UPLOAD_MAX_BYTES


def _max_pixels():
    return settings.UPLOAD_MAX_PIXELS


def _pixel_error():
    return ValidationError(
        MSG_TOO_MANY_PIXELS.format(limit=_max_pixels()), code="too_many_pixels"
    )


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
    if extension in ("svg", "svgz"):
        raise ValidationError(MSG_SVG, code="svg")
    if extension not in EXTENSION_FORMATS:
        raise ValidationError(
            MSG_EXTENSION.format(extension=extension or "(none)"), code="extension"
        )
    return extension


def _looks_like_markup(head):
    stripped = head.lstrip().lower()
    return stripped.startswith(b"<") or b"<svg" in stripped


def _format_of(image):
    # Camera JPEGs with extra pictures (MPO) are JPEGs whose first picture is
    # kept.
    return "JPEG" if image.format == "MPO" else image.format


def _open_checked(data, extension):
    """Open the image header and check format and pixel count before decoding.

    Only the four accepted Pillow plugins may parse the file, so a file in
    any other format never reaches a less used decoder.
    """
    try:
        image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except Image.DecompressionBombError as exc:
        # Pillow stops headers that declare far more pixels than its own limit.
        raise _pixel_error() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        if _looks_like_markup(data[:1024]):
            raise ValidationError(MSG_SVG, code="svg") from exc
        raise ValidationError(MSG_NOT_IMAGE, code="not_image") from exc
    found = _format_of(image)
    if EXTENSION_FORMATS[extension] != found:
        raise ValidationError(
            MSG_MISMATCH.format(extension=extension, found=found), code="mismatch"
        )
    width, height = image.size
    if width * height > _max_pixels():
        raise _pixel_error()
    frames = getattr(image, "n_frames", 1) if found != "JPEG" else 1
    if frames > MAX_FRAMES or frames * width * height > _max_pixels():
        raise ValidationError(
            MSG_TOO_MANY_FRAMES.format(limit=_max_pixels(), frames=MAX_FRAMES),
            code="too_many_frames",
        )
    return image


def _decode(image):
    """Decode every pixel; a truncated or corrupt file fails here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except Image.DecompressionBombError as exc:
        raise _pixel_error() from exc
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(MSG_NOT_IMAGE, code="not_image") from exc


def _strip_info(image):
    image.info = {
        key: value for key, value in image.info.items() if key in KEPT_INFO_KEYS
    }


def _encode(image, image_format):
    """Write the decoded pixels to a new file with no metadata."""
    output = io.BytesIO()
    animated = image_format != "JPEG" and getattr(image, "is_animated", False)
    if not animated:
        # Apply the EXIF orientation to the pixels before the EXIF is dropped.
        image = ImageOps.exif_transpose(image)
    _strip_info(image)
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        image.save(output, "PNG", optimize=True)
    elif image_format == "GIF":
        image.save(output, "GIF", save_all=animated)
    else:
        image.save(output, "WEBP", quality=88, save_all=animated)
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
    image_format = _format_of(image)
    _decode(image)
    try:
        encoded = _encode(image, image_format)
    except (OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(MSG_NOT_IMAGE, code="not_image") from exc
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
