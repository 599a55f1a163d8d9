"""The Pillow pipeline, fed with images made in memory."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ecobid_adapters.images import budget
from ecobid_adapters.images.keys import image_key, parse_image_key
from ecobid_adapters.images.pipeline import PillowImageProcessor, UnacceptableImage

# EXIF tag 0x0112; 6 means "rotate 90 degrees clockwise to display"
ORIENTATION, ROTATE_CW = 0x0112, 6
GPS_INFO = 0x8825


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.fixture(scope="module")
def processor() -> PillowImageProcessor:
    return PillowImageProcessor()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_format_becomes_two_jpeg_variants(
    processor: PillowImageProcessor, fmt: str
) -> None:
    variants = processor.variants(encode(Image.new("RGB", (2000, 1000), "navy"), fmt))
    assert set(variants) == {"thumb", "large"}
    thumb, large = decode(variants["thumb"]), decode(variants["large"])
    assert (thumb.format, thumb.mode, thumb.size) == ("JPEG", "RGB", (320, 160))
    assert (large.format, large.mode, large.size) == ("JPEG", "RGB", (1280, 640))


def test_small_images_are_not_upscaled(processor: PillowImageProcessor) -> None:
    variants = processor.variants(encode(Image.new("RGB", (200, 300), "red"), "JPEG"))
    assert decode(variants["thumb"]).size == (200, 300)
    assert decode(variants["large"]).size == (200, 300)


def test_transparency_becomes_white(processor: PillowImageProcessor) -> None:
    clear = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
    variants = processor.variants(encode(clear, "PNG"))
    red, green, blue = decode(variants["thumb"]).getpixel((50, 50))  # type: ignore[misc]
    assert min(red, green, blue) > 245


def test_exif_orientation_is_applied_and_all_metadata_dropped(
    processor: PillowImageProcessor,
) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_CW
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_INFO] = {2: (52.0, 31.0, 12.0)}  # latitude: where the photo was taken
    landscape_as_stored = Image.new("RGB", (400, 200), "blue")
    original = encode(landscape_as_stored, "JPEG", exif=exif, icc_profile=b"\0" * 128)
    assert decode(original).getexif()[ORIENTATION] == ROTATE_CW

    variants = processor.variants(original)
    assert decode(variants["large"]).size == (200, 400)  # shown upright: portrait
    assert decode(variants["thumb"]).size == (160, 320)
    for data in variants.values():
        variant = decode(data)
        assert not variant.getexif()
        assert "icc_profile" not in variant.info
        assert "exif" not in variant.info


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"plain text, not an image",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,  # a PNG signature with garbage behind it
        encode(Image.new("RGB", (64, 64)), "JPEG")[:200],  # truncated
        encode(Image.new("RGB", (8, 8)), "GIF"),  # an image, but not an accepted format
        encode(Image.new("RGB", (8, 8)), "BMP"),
    ],
    ids=["empty", "text", "bad-png", "truncated-jpeg", "gif", "bmp"],
)
def test_what_is_not_an_accepted_image_is_a_value_error(
    processor: PillowImageProcessor, data: bytes
) -> None:
    with pytest.raises(ValueError, match="not a readable image"):
        processor.variants(data)


def test_more_pixels_than_the_memory_affords_are_refused() -> None:
    fits = encode(Image.new("RGB", (1000, 1000)), "PNG")
    too_big = encode(Image.new("RGB", (1000, 1001)), "PNG")
    memory = budget.RESERVED + budget.png_cost((1000, 1000), "RGB", len(fits))
    small_budget = PillowImageProcessor(memory=memory)
    with pytest.raises(UnacceptableImage, match="too many pixels"):
        small_budget.variants(too_big)
    assert small_budget.variants(fits)


@pytest.mark.parametrize(
    "size",
    [(8_000, 7_500), (20_000, 20_000)],
    ids=["over-our-limit", "over-pillows-limit"],
)
def test_a_decompression_bomb_is_refused_before_decoding(
    processor: PillowImageProcessor, size: tuple[int, int]
) -> None:
    # Tens of kilobytes that would decode to gigabytes of RGB pixels.
    bomb = encode(Image.new("1", size), "PNG")
    assert len(bomb) < 100_000
    with pytest.raises(UnacceptableImage, match="too many pixels"):
        processor.variants(bomb)


def test_uploads_over_the_size_limit_are_refused(processor: PillowImageProcessor) -> None:
    with pytest.raises(ValueError, match="larger than an upload"):
        processor.variants(b"\xff\xd8" + b"\0" * (10 * 1024 * 1024))


def test_keys_are_laid_out_in_one_place_and_parse_back() -> None:
    assert image_key("i1", "m1") == "items/i1/m1/original"
    assert image_key("i1", "m1", "thumb") == "items/i1/m1/thumb.jpg"
    assert parse_image_key("items/i1/m1/original") == ("i1", "m1", "original")
    assert parse_image_key("items/i1/m1/large.jpg") == ("i1", "m1", "large")
    for bad in ["items/i1/original", "other/i1/m1/original", "items/../m1/original"]:
        with pytest.raises(ValueError, match=r"image key|path segments"):
            parse_image_key(bad)
