# (order-answer fuzz targets: filled in by their owner)
