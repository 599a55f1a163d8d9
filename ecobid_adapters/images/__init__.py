"""Photos at the edge: where each image is stored, and the Pillow pipeline.

``keys`` (no Pillow) is shared by both image stores and the S3 event handler;
``pipeline`` and ``budget`` are Pillow and are imported by the image function alone, so
no API function pays for Pillow at a cold start. The stores themselves live with their
families: ``aws/s3_images.py`` and ``memory/images.py``; the moderators likewise:
``aws/rekognition.py`` and ``memory/moderation.py``.
"""
