#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

    from django.core.management import execute_from_command_line

    from cms.settings.environment import exit_on_configuration_error

    exit_on_configuration_error()
    execute_from_command_line(sys.argv)
