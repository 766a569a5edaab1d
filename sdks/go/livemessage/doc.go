// Alibaba Cloud ApsaraVideo Live interactive messaging (LiveMessage apps, groups and seed messages) as Pulumi resources.
package livemessage
