"""Reading attached images: format by magic bytes, size from the header, clear refusals."""

from pathlib import Path

import pytest

from playground.llm.images import ImageError, ImageFormat, read_image, read_image_file
from tests.playground.llm import image_samples as samples


@pytest.mark.parametrize(
    ("data", "fmt", "size"),
    [
        (samples.png(300, 200), ImageFormat.PNG, (300, 200)),
        (samples.jpeg(1920, 1080), ImageFormat.JPEG, (1920, 1080)),
        (samples.gif(64, 48), ImageFormat.GIF, (64, 48)),
        (samples.webp_vp8x(4000, 3000), ImageFormat.WEBP, (4000, 3000)),
        (samples.webp_lossless(640, 480), ImageFormat.WEBP, (640, 480)),
    ],
)
def test_each_format_is_recognised_and_measured(data, fmt, size):
    image = read_image(data)
    assert image.format is fmt and (image.width, image.height) == size
    assert image.data_url().startswith(f"data:{fmt.value};base64,")
    assert len(image.sha256) == 64


def test_the_name_does_not_decide_the_format(tmp_path: Path):
    path = tmp_path / "photo.png"
    path.write_bytes(samples.jpeg(800, 600))
    image = read_image_file(path)
    assert image.media_type == "image/jpeg"


def test_bmp_is_refused_and_named(tmp_path: Path):
    path = tmp_path / "scan.png"
    path.write_bytes(samples.bmp(10, 10))
    with pytest.raises(ImageError, match=r"scan.png is not a PNG, JPEG, GIF or WebP image \(it is a BMP\)"):
        read_image_file(path)


def test_truncated_files_are_refused():
    whole = samples.png(100, 100)
    with pytest.raises(ImageError, match="damaged or cut short"):
        read_image(whole[:20])
    with pytest.raises(ImageError, match="cut short"):
        read_image(whole[:-12])  # the header is fine, the end is missing
    with pytest.raises(ImageError, match="cut short"):
        read_image(samples.jpeg(10, 10)[:-2])


def test_oversized_images_are_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.png"
    path.write_bytes(samples.png(200, 200))
    with pytest.raises(ImageError, match=r"big.png is 0.0 MB; the limit is 0 MB per image"):
        read_image_file(path, max_bytes=100)


def test_a_missing_file_says_so(tmp_path: Path):
    with pytest.raises(ImageError, match=r"Cannot read gone\.png"):
        read_image_file(tmp_path / "gone.png")


def test_describe_never_holds_the_bytes():
    image = read_image(samples.png(1200, 900))
    text = image.describe()
    assert text.startswith("PNG 1200×900") and image.base64()[:40] not in text
