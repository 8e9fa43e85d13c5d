# One image recipe for both processes; compose picks the project:
#   docker build --build-arg PROJECT=Silo .     (or PROJECT=Api)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT=Silo
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY sql/ sql/
COPY Grains.Abstractions/ Grains.Abstractions/
COPY Grains/ Grains/
COPY Api/ Api/
COPY Silo/ Silo/
RUN dotnet publish ${PROJECT}/${PROJECT}.csproj -c Release -o /app && echo "${PROJECT}.dll" > /app/entrypoint

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# The Kafka client loads the system's librdkafka.
RUN apt-get update && apt-get install -y --no-install-recommends librdkafka1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec dotnet \"$(cat /app/entrypoint)\" \"$@\"", "--"]
