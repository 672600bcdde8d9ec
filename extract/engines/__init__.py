"""The engines that find a page's ruled cell boxes, one module each (`open_engine(path, password)`)."""
