# catdata: the same app as `npm start`, for ECS Fargate (infra/lib/stacks/app-stack.ts) or any container host.
FROM node:22-slim

ENV NODE_ENV=production \
    CATDATA_HOST=0.0.0.0 \
    CATDATA_PORT=8501 \
    CATDATA_HEALTH_PORT=8080 \
    CATDATA_HOME=/tmp/catdata

WORKDIR /app
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources directly and is a production dependency, so dev tools are left out.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --chown=node:node . .

# The image's built-in unprivileged user.
USER node
EXPOSE 8501 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.CATDATA_HEALTH_PORT||8080)+'/healthcheck').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npm", "start"]
