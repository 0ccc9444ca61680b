"""Image files for bench/generate.py without gigabytes of them.

A handful of pictures are painted by the demo's painter (demo/images.py), cleaned and resized
once by ``core.images`` like any upload (the original and its six renditions). Every article,
cover and photo then gets files of its own under the names ``store_image`` gives (the folder,
the month, a random hex name, ``-<width>`` for a rendition), in the tree its row calls for
(public or private, core/media.py): each name is a hard link to the files of the first row that
used the same picture, so ten thousand photos cost the disk seven files per picture. Since
every row has its own names, the portal can move, replace or delete one row's files (a photo
hidden, an article deleted) without touching another's, exactly as with uploaded files. Where
hard links are not possible (another filesystem, a storage that is not a local folder) the
files are copied.
"""

import io
import os
import shutil
import uuid
from pathlib import Path


class Pictures:
    """The painted pictures, and the files already written for each (to link to)."""

    def __init__(self, motifs, *, count: int):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from core.images import clean_image_upload, make_renditions
        from demo.images import paint

        self.samples = []
        names = list(motifs)
        for index in range(count):
            motif = names[index % len(names)]
            painted = Image.open(io.BytesIO(paint(motif, variant=index % 3, seed=index)))
            # Smaller than a phone's photo: the renditions stop at 800 px, the files stay small.
            small = painted.resize((800, 600))
            buffer = io.BytesIO()
            small.save(buffer, "JPEG", quality=85)
            cleaned = clean_image_upload(SimpleUploadedFile(f"{motif}.jpg", buffer.getvalue()))
            files = [("", cleaned.extension, cleaned.content)]
            renditions = []
            for meta, data in make_renditions(cleaned):
                extension = "jpg" if meta["f"] == "jpeg" else "webp"
                files.append((f"-{meta['w']}", extension, data))
                renditions.append(meta)
            self.samples.append(
                {"motif": motif, "size": (cleaned.width, cleaned.height), "files": files,
                 "renditions": renditions, "written": None}
            )  # fmt: skip
        self.files = 0

    def __len__(self):
        return len(self.samples)

    def motif(self, index: int) -> str:
        return self.samples[index]["motif"]

    def place(self, index: int, *, folder: str, when, public: bool):
        """Files of picture *index* for one row: ``(image, width, height, renditions)``."""
        from django.conf import settings

        from core.media import private_root

        sample = self.samples[index]
        root = Path(settings.MEDIA_ROOT if public else private_root())
        stem = f"{folder}/{when:%Y/%m}/{uuid.uuid4().hex}"
        paths = []
        for suffix, extension, _data in sample["files"]:
            name = f"{stem}{suffix}.{extension}"
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            paths.append((name, target))
        written = sample["written"]
        for position, (_name, target) in enumerate(paths):
            if written is None:
                target.write_bytes(sample["files"][position][2])
            else:
                _link_or_copy(written[position], target)
        if written is None:
            sample["written"] = [target for _name, target in paths]
        self.files += len(paths)
        renditions = [
            {**meta, "n": name}
            for meta, (name, _target) in zip(sample["renditions"], paths[1:], strict=True)
        ]
        width, height = sample["size"]
        return paths[0][0], width, height, renditions


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def delete_files(names) -> int:
    """Delete the stored files *names* from both trees (for ``--reset``); returns how many."""
    from core.media import delete_everywhere

    count = 0
    for name in names:
        if name:
            delete_everywhere(name)
            count += 1
    return count
