FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=nansha.settings.production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY nansha nansha
COPY industry industry
COPY parks parks
COPY policies policies
COPY jobs jobs
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "nansha.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
