# syntax=docker/dockerfile:1
# One image per service: docker build --build-arg SERVICE=identity -t medspa-identity .
# The stages are deploy/build-service.sh's (install, build, prune to production dependencies), which
# the image test runs without Docker (deploy/build-service.e2e.spec.ts).
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
RUN test -n "$SERVICE" || (echo "--build-arg SERVICE=<identity|gateway|scheduling|patient-record|audit> is required" >&2; exit 1)
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund \
 && bash libs/contracts/generate.sh \
 && bash deploy/build-service.sh "$SERVICE" /out

FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE_NAME=${SERVICE}
WORKDIR /app
# Owned by root, so the service's user cannot change its own code; the pod's root filesystem is
# read-only as well, with an emptyDir on /tmp.
COPY --from=build /out /app
USER 10001:10001
ENTRYPOINT ["node", "/app/main.js"]
CMD ["serve"]
