from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "seemix.directory"
    label = "directory"
    verbose_name = "directory"
