"""The bottom layer every other may use: atomic writes, safe output names, data and cache paths, process policy."""
