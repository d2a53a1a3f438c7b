"""Loading: files, stdin and clusters into raw objects, then into the typed input model."""

from ing2gw.load.files import load_paths
from ing2gw.load.objects import Inputs, parse_objects
from ing2gw.load.raw import LoadResult, RawObject

__all__ = ["Inputs", "LoadResult", "RawObject", "load_paths", "parse_objects"]
