import os

from django.core.wsgi import get_wsgi_application

from cms.settings.environment import exit_on_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
exit_on_configuration_error()
application = get_wsgi_application()
